package be.absencebridge.vendor.smartschool;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A SOAP 1.1 RPC call as PHP's {@code SoapClient} sends it without a WSDL: the body's first element is the
 * method, its child elements the positional parameters ({@code param0}, {@code param1}, ... with
 * {@code xsi:type}). Parsed with DTDs and external entities off.
 */
public record SoapEnvelope(String method, List<String> parameters, List<String> names) {

    public static final String SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/";

    /** The envelope is not a SOAP 1.1 RPC call. */
    public static final class MalformedEnvelopeException extends Exception {
        public MalformedEnvelopeException(String message) {
            super(message);
        }
    }

    public static SoapEnvelope parse(byte[] xml) throws MalformedEnvelopeException {
        if (xml == null || xml.length == 0) {
            throw new MalformedEnvelopeException("empty request");
        }
        Document doc;
        try {
            doc = builder().parse(new ByteArrayInputStream(xml));
        } catch (SAXException | IOException e) {
            throw new MalformedEnvelopeException("Bad Request: not well-formed XML");
        }
        Element envelope = doc.getDocumentElement();
        if (!"Envelope".equals(envelope.getLocalName()) || !SOAP_ENV.equals(envelope.getNamespaceURI())) {
            throw new MalformedEnvelopeException("Bad Request: not a SOAP 1.1 envelope");
        }
        Element body = null;
        for (Node n = envelope.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && "Body".equals(e.getLocalName()) && SOAP_ENV.equals(e.getNamespaceURI())) {
                body = e;
            }
        }
        if (body == null) {
            throw new MalformedEnvelopeException("Bad Request: the envelope has no Body");
        }
        Element call = firstElement(body);
        if (call == null) {
            throw new MalformedEnvelopeException("Bad Request: the Body names no method");
        }
        List<String> params = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Node n = call.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                String nil = e.getAttributeNS(XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI, "nil");
                params.add("true".equals(nil) ? null : e.getTextContent());
                names.add(e.getLocalName());
            }
        }
        return new SoapEnvelope(call.getLocalName(), params, names);
    }

    /**
     * The call's parameters in the order of {@code declared} (the WSDL's part names): by name when the client named
     * them (WSDL-mode clients do), else by position ({@code param0}, {@code param1}: PHP's non-WSDL mode). Null when the
     * call has more parameters than declared or names one the method does not have.
     */
    public List<String> parametersAs(List<String> declared) {
        if (parameters.size() > declared.size()) {
            return null;
        }
        boolean named = !names.isEmpty() && declared.containsAll(names);
        List<String> out = new ArrayList<>(declared.size());
        for (int i = 0; i < declared.size(); i++) {
            if (named) {
                int at = names.indexOf(declared.get(i));
                out.add(at < 0 ? null : parameters.get(at));
            } else {
                out.add(i < parameters.size() ? parameters.get(i) : null);
            }
        }
        if (!named) {
            for (int i = 0; i < names.size(); i++) {
                if (!names.get(i).equals("param" + i)) {
                    return null;
                }
            }
        }
        return out;
    }

    private static Element firstElement(Element parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        return null;
    }

    /**
     * One parser per thread, made once: {@code DocumentBuilderFactory.newInstance()} looks for a provider through the
     * class path's service files on every call (the benchmark's profile showed the jar loader's look-ups compiled hot),
     * and a factory is not thread-safe. {@code reset()} gives the parser back as made before each use.
     */
    private static final ThreadLocal<DocumentBuilder> BUILDERS = ThreadLocal.withInitial(SoapEnvelope::newBuilder);

    private static DocumentBuilder builder() {
        DocumentBuilder b = BUILDERS.get();
        b.reset();
        b.setErrorHandler(null);
        return b;
    }

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return f.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The RPC response: the method's {@code return} value as an {@code xsd:string}, its quotes written as plain
     * characters (as PHP's SoapServer writes them: some clients do not decode {@code &quot;}).
     */
    public static String response(String method, String namespace, String value) {
        return response(method, namespace, "xsd:string", value);
    }

    /** A failed call's answer: Smartschool's integer error code as the {@code return} value (not a SOAP fault). */
    public static String errorResponse(String method, String namespace, int code) {
        return response(method, namespace, "xsd:int", String.valueOf(code));
    }

    private static String response(String method, String namespace, String type, String value) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"" + SOAP_ENV + "\" xmlns:ns1=\"" + namespace + "\""
                + " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
                + " xmlns:SOAP-ENC=\"http://schemas.xmlsoap.org/soap/encoding/\""
                + " SOAP-ENV:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
                + "<SOAP-ENV:Body><ns1:" + method + "Response><return xsi:type=\"" + type + "\">" + escapeText(value)
                + "</return></ns1:" + method + "Response></SOAP-ENV:Body></SOAP-ENV:Envelope>";
    }

    /** A SOAP fault; Smartschool's own errors carry an integer as fault code. */
    public static String fault(String faultCode, String faultString) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"" + SOAP_ENV + "\"><SOAP-ENV:Body><SOAP-ENV:Fault>"
                + "<faultcode>" + escape(faultCode) + "</faultcode><faultstring>" + escape(faultString)
                + "</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>";
    }

    /** The envelope a WSDL-mode client sends: the parameters as elements named after the WSDL's parts. */
    public static String namedRequest(String method, String namespace, String[] names, String[] values) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"").append(SOAP_ENV).append("\" xmlns:ns1=\"")
                .append(escape(namespace)).append("\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"")
                .append(" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"")
                .append(" xmlns:SOAP-ENC=\"http://schemas.xmlsoap.org/soap/encoding/\"")
                .append(" SOAP-ENV:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">")
                .append("<SOAP-ENV:Body><ns1:").append(method).append('>');
        for (int i = 0; i < names.length; i++) {
            sb.append('<').append(names[i]).append(" xsi:type=\"xsd:string\">").append(escape(values[i]))
                    .append("</").append(names[i]).append('>');
        }
        return sb.append("</ns1:").append(method).append("></SOAP-ENV:Body></SOAP-ENV:Envelope>").toString();
    }

    /** The envelope PHP's SoapClient sends in non-WSDL mode ({@code param0}, {@code param1}), for the tests. */
    public static String request(String method, String namespace, String... params) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"").append(SOAP_ENV).append("\" xmlns:ns1=\"")
                .append(namespace).append("\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"")
                .append(" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"")
                .append(" xmlns:SOAP-ENC=\"http://schemas.xmlsoap.org/soap/encoding/\"")
                .append(" SOAP-ENV:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">")
                .append("<SOAP-ENV:Body><ns1:").append(method).append('>');
        for (int i = 0; i < params.length; i++) {
            sb.append("<param").append(i).append(" xsi:type=\"xsd:string\">").append(escape(params[i]))
                    .append("</param").append(i).append('>');
        }
        return sb.append("</ns1:").append(method).append("></SOAP-ENV:Body></SOAP-ENV:Envelope>").toString();
    }

    /** A SOAP fault in a response: Smartschool's integer error code or a SOAP fault code, and its text. */
    public static final class SoapFaultException extends Exception {
        private final String faultCode;

        public SoapFaultException(String faultCode, String faultString) {
            super("SOAP fault " + faultCode + ": " + faultString);
            this.faultCode = faultCode;
        }

        public String faultCode() {
            return faultCode;
        }
    }

    /** The {@code return} value of an RPC response, or the fault it carries. */
    public static String parseResponse(byte[] xml) throws MalformedEnvelopeException, SoapFaultException {
        Document doc;
        try {
            doc = builder().parse(new ByteArrayInputStream(xml));
        } catch (SAXException | IOException e) {
            throw new MalformedEnvelopeException("the response is not well-formed XML");
        }
        Element envelope = doc.getDocumentElement();
        if (!"Envelope".equals(envelope.getLocalName()) || !SOAP_ENV.equals(envelope.getNamespaceURI())) {
            throw new MalformedEnvelopeException("the response is not a SOAP envelope");
        }
        Element body = null;
        for (Node n = envelope.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && "Body".equals(e.getLocalName())) {
                body = e;
            }
        }
        Element first = body == null ? null : firstElement(body);
        if (first == null) {
            throw new MalformedEnvelopeException("the response has an empty Body");
        }
        if ("Fault".equals(first.getLocalName())) {
            throw new SoapFaultException(childText(first, "faultcode"), childText(first, "faultstring"));
        }
        Element ret = firstElement(first);
        if (ret == null) {
            throw new MalformedEnvelopeException("the response has no return value");
        }
        return ret.getTextContent();
    }

    private static String childText(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                return e.getTextContent();
            }
        }
        return "";
    }

    /** Element text: only what XML requires escaped ({@code &}, {@code <}, {@code >}), quotes as they are. */
    static String escapeText(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
