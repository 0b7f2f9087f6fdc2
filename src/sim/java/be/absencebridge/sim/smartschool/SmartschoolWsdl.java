package be.absencebridge.sim.smartschool;

import java.util.List;
import java.util.Map;

/**
 * The WSDL of a simulated platform's V3 web service, as Smartschool serves one per platform (a real school's WSDL is
 * public: jamaljalilm/Smartschool-retards {@code includes/smartschool_v3.wsdl}): RPC style, SOAP-encoded, messages
 * {@code <method>In}/{@code <method>Out}, every part an {@code xsd:string} (the account read's result an
 * {@code xsd:anyType}), {@code soapAction} {@code <namespace>#<method>}, service {@code V3Service}, port {@code V3Port},
 * the target namespace and the address the endpoint it was read from. The operations are the ones this simulator
 * answers.
 */
final class SmartschoolWsdl {

    private SmartschoolWsdl() {
    }

    static String of(String endpoint, Map<String, List<String>> methods) {
        String ns = escape(endpoint);
        StringBuilder messages = new StringBuilder();
        StringBuilder port = new StringBuilder();
        StringBuilder binding = new StringBuilder();
        for (Map.Entry<String, List<String>> m : methods.entrySet()) {
            String op = m.getKey();
            messages.append("  <message name=\"").append(op).append("In\">\n");
            for (String part : m.getValue()) {
                messages.append("    <part name=\"").append(part).append("\" type=\"xsd:string\"/>\n");
            }
            messages.append("  </message>\n  <message name=\"").append(op).append("Out\">\n")
                    .append("    <part name=\"return\" type=\"")
                    .append(op.equals("getAllAccountsExtended") ? "xsd:anyType" : "xsd:string").append("\"/>\n  </message>\n");
            port.append("    <operation name=\"").append(op).append("\">\n      <input message=\"tns:").append(op)
                    .append("In\"/>\n      <output message=\"tns:").append(op).append("Out\"/>\n    </operation>\n");
            binding.append("    <operation name=\"").append(op).append("\">\n      <soap:operation soapAction=\"").append(ns)
                    .append('#').append(op).append("\"/>\n")
                    .append("      <input><soap:body use=\"encoded\" encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\" namespace=\"")
                    .append(ns).append("\"/></input>\n")
                    .append("      <output><soap:body use=\"encoded\" encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\" namespace=\"")
                    .append(ns).append("\"/></output>\n    </operation>\n");
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\" xmlns:soap=\"http://schemas.xmlsoap.org/wsdl/soap/\"\n"
                + "             xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:soap-enc=\"http://schemas.xmlsoap.org/soap/encoding/\"\n"
                + "             xmlns:tns=\"" + ns + "\" name=\"V3\" targetNamespace=\"" + ns + "\">\n"
                + "  <types><xsd:schema targetNamespace=\"" + ns + "\"/></types>\n"
                + messages
                + "  <portType name=\"V3Port\">\n" + port + "  </portType>\n"
                + "  <binding name=\"V3Binding\" type=\"tns:V3Port\">\n"
                + "    <soap:binding style=\"rpc\" transport=\"http://schemas.xmlsoap.org/soap/http\"/>\n" + binding + "  </binding>\n"
                + "  <service name=\"V3Service\">\n    <port name=\"V3Port\" binding=\"tns:V3Binding\">\n"
                + "      <soap:address location=\"" + ns + "\"/>\n    </port>\n  </service>\n"
                + "</definitions>\n";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }
}
