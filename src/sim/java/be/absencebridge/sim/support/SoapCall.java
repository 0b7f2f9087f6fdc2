package be.absencebridge.sim.support;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The server side of a SOAP 1.1 RPC/encoded call, as PHP's {@code SoapServer} reads and writes it: the request's Body
 * holds one element named after the method, whose child elements are the arguments, named after the WSDL's parts
 * (WSDL-mode clients) or {@code param0}, {@code param1}, ... (PHP's {@code SoapClient} without a WSDL); the answer is
 * {@code <methodResponse><return xsi:type="xsd:string">} with the text's quotes left as they are, or a SOAP fault.
 * Read with the JDK's StAX parser, a document type refused outright (no DTD, no entity is ever resolved).
 */
public record SoapCall(String method, List<Argument> arguments) {

    public static final String ENVELOPE_NS = "http://schemas.xmlsoap.org/soap/envelope/";
    private static final String ENCODING_NS = "http://schemas.xmlsoap.org/soap/encoding/";

    /** One argument element: its local name and its text, null when it is {@code xsi:nil="true"}. */
    public record Argument(String name, String value) {
    }

    /** A request this server cannot read as a SOAP 1.1 RPC call: a {@code SOAP-ENV:Client} fault. */
    public static final class Unreadable extends Exception {
        public Unreadable(String message) {
            super(message);
        }
    }

    /** A factory per call: StAX does not promise that a factory may be shared between threads. */
    private static XMLInputFactory input() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }

    /** Reads the call in a request body. */
    public static SoapCall read(byte[] body) throws Unreadable {
        if (body == null || body.length == 0) {
            throw new Unreadable("Bad Request: the request has no body");
        }
        XMLStreamReader xml = null;
        try {
            xml = input().createXMLStreamReader(new ByteArrayInputStream(body));
            if (!nextStart(xml, true) || !isSoap(xml, "Envelope")) {
                throw new Unreadable("Bad Request: the document is not a SOAP 1.1 Envelope");
            }
            // the Envelope's children: an optional Header, then the Body
            while (nextStart(xml, false)) {
                if (isSoap(xml, "Body")) {
                    return call(xml);
                }
                skip(xml);
            }
            throw new Unreadable("Bad Request: the Envelope has no Body");
        } catch (XMLStreamException e) {
            throw new Unreadable("Bad Request: the request is not well-formed XML");
        } finally {
            if (xml != null) {
                try {
                    xml.close();
                } catch (XMLStreamException ignored) {
                    // nothing held
                }
            }
        }
    }

    private static SoapCall call(XMLStreamReader xml) throws XMLStreamException, Unreadable {
        if (!nextStart(xml, false)) {
            throw new Unreadable("Bad Request: the Body names no method");
        }
        String method = xml.getLocalName();
        List<Argument> args = new ArrayList<>();
        while (nextStart(xml, false)) {
            String nil = xml.getAttributeValue(XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI, "nil");
            String name = xml.getLocalName();
            String text = text(xml);
            args.add(new Argument(name, "true".equals(nil) || "1".equals(nil) ? null : text));
        }
        return new SoapCall(method, Collections.unmodifiableList(args));
    }

    /**
     * Moves to the next start tag among the current element's children ({@code document}: the document's root); false at
     * the current element's end tag. A document type is refused.
     */
    private static boolean nextStart(XMLStreamReader xml, boolean document) throws XMLStreamException, Unreadable {
        while (xml.hasNext()) {
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT:
                    return true;
                case XMLStreamConstants.END_ELEMENT:
                    return false;
                case XMLStreamConstants.DTD:
                case XMLStreamConstants.ENTITY_REFERENCE:
                    throw new Unreadable("Bad Request: a document type or an entity is not accepted");
                default:
                    break;
            }
        }
        if (document) {
            return false;
        }
        throw new XMLStreamException("unexpected end of document");
    }

    /** Skips the current element and everything in it. */
    private static void skip(XMLStreamReader xml) throws XMLStreamException, Unreadable {
        while (nextStart(xml, false)) {
            skip(xml);
        }
    }

    /** The text of the current element and its descendants, leaving the reader on its end tag. */
    private static String text(XMLStreamReader xml) throws XMLStreamException, Unreadable {
        StringBuilder sb = new StringBuilder();
        int depth = 1;
        while (depth > 0) {
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT -> depth++;
                case XMLStreamConstants.END_ELEMENT -> depth--;
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> sb.append(xml.getText());
                case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE ->
                        throw new Unreadable("Bad Request: a document type or an entity is not accepted");
                default -> {
                }
            }
        }
        return sb.toString();
    }

    private static boolean isSoap(XMLStreamReader xml, String localName) {
        return localName.equals(xml.getLocalName()) && ENVELOPE_NS.equals(xml.getNamespaceURI());
    }

    /**
     * The arguments in the order of the method's declared parts. Named arguments (every name one of the parts) are taken
     * by name, a part not sent being null; otherwise they must be {@code param0}, {@code param1}, ... and are taken by
     * position. Null when the call does not fit the method: more arguments than parts, or names it does not have.
     */
    public List<String> in(List<String> parts) {
        if (arguments.size() > parts.size()) {
            return null;
        }
        List<String> out = new ArrayList<>(Collections.nCopies(parts.size(), (String) null));
        boolean byName = !arguments.isEmpty() && arguments.stream().allMatch(a -> parts.contains(a.name()));
        for (int i = 0; i < arguments.size(); i++) {
            Argument a = arguments.get(i);
            if (byName) {
                out.set(parts.indexOf(a.name()), a.value());
            } else if (a.name().equals("param" + i)) {
                out.set(i, a.value());
            } else {
                return null;
            }
        }
        return out;
    }

    // ---- the answers ----

    /** A method's result: one string in {@code <return xsi:type="xsd:string">}. */
    public static String result(String method, String namespace, String text) {
        return answer(method, namespace, "xsd:string", text);
    }

    /** A method's integer result, as Smartschool returns its error codes ({@code xsi:type="xsd:int"}). */
    public static String integerResult(String method, String namespace, int value) {
        return answer(method, namespace, "xsd:int", Integer.toString(value));
    }

    private static String answer(String method, String namespace, String type, String text) {
        return write(w -> {
            w.writeStartElement("ns1", method + "Response", namespace);
            w.writeStartElement("return");
            w.writeAttribute("xsi", XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI, "type", type);
            w.writeCharacters(text == null ? "" : text);
            w.writeEndElement();
            w.writeEndElement();
        }, namespace);
    }

    /** A SOAP fault ({@code SOAP-ENV:Client} for a call the server cannot take, {@code SOAP-ENV:Server} for its own failure). */
    public static String fault(String code, String message) {
        return write(w -> {
            w.writeStartElement("SOAP-ENV", "Fault", ENVELOPE_NS);
            w.writeStartElement("faultcode");
            w.writeCharacters(code);
            w.writeEndElement();
            w.writeStartElement("faultstring");
            w.writeCharacters(message == null ? "" : message);
            w.writeEndElement();
            w.writeEndElement();
        }, null);
    }

    private interface BodyWriter {
        void write(XMLStreamWriter w) throws XMLStreamException;
    }

    /** An envelope as PHP's SoapServer writes it: its namespaces declared on the Envelope, RPC encoding style. */
    private static String write(BodyWriter body, String namespace) {
        StringWriter out = new StringWriter(512);
        try {
            XMLStreamWriter w = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            w.writeStartElement("SOAP-ENV", "Envelope", ENVELOPE_NS);
            w.writeNamespace("SOAP-ENV", ENVELOPE_NS);
            if (namespace != null) {
                w.writeNamespace("ns1", namespace);
                w.writeNamespace("xsd", XMLConstants.W3C_XML_SCHEMA_NS_URI);
                w.writeNamespace("xsi", XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI);
                w.writeNamespace("SOAP-ENC", ENCODING_NS);
                w.writeAttribute("SOAP-ENV", ENVELOPE_NS, "encodingStyle", ENCODING_NS);
            }
            w.writeStartElement("SOAP-ENV", "Body", ENVELOPE_NS);
            body.write(w);
            w.writeEndElement();
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing a SOAP answer", e);
        }
        return out.toString();
    }
}
