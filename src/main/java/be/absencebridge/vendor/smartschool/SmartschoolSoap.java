package be.absencebridge.vendor.smartschool;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.vendor.VendorHttp;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.util.regex.Pattern;

/**
 * A call of Smartschool's V3 web services as a WSDL-mode client makes it: the parameters named as the WSDL names
 * them, {@code SOAPAction} {@code <namespace>#<method>}, the result the JSON string in {@code <return>}. Smartschool
 * answers a failed call with an integer error code as the {@code <return>} value, not a SOAP fault: that is a failure
 * with its code ({@link ErrorCodeException}), never an empty result; a wrong access code ({@code 8}) is an alarm (log,
 * metric {@code bridge_vendor_errors_total}, the vendor's health).
 */
@Component
public class SmartschoolSoap {

    private static final Logger LOG = LoggerFactory.getLogger(SmartschoolSoap.class);
    private static final Pattern ERROR_CODE = Pattern.compile("\\s*-?\\d+\\s*");
    /** Smartschool's code for a wrong web-services access code. */
    public static final int WRONG_ACCESS_CODE = 8;

    /** Smartschool answered a call with one of its error codes. */
    public static final class ErrorCodeException extends IOException {
        private final int code;

        public ErrorCodeException(String method, int code) {
            super("Smartschool answered " + method + " with error code " + code + " ("
                    + SmartschoolErrors.of(code).text() + ")");
            this.code = code;
        }

        /** What the code means for the link. */
        public SmartschoolErrors.Kind kind() {
            return SmartschoolErrors.of(code).kind();
        }

        public int code() {
            return code;
        }
    }

    private final VendorHttp http;
    private final MeterRegistry meters;
    /** Each platform's last answer's error code (absent or 0: none): its health shows a refused access code. */
    private final java.util.Map<String, Integer> lastError = new java.util.concurrent.ConcurrentHashMap<>();

    /** Since when each platform's calls have all failed (System.nanoTime), and the last failure; absent: the last call worked. */
    private final java.util.Map<String, Long> failingSince = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, String> lastFailure = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<String> reported = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.time.Duration failingAfter;

    public SmartschoolSoap(VendorHttp http, MeterRegistry meters, be.absencebridge.config.BridgeProperties props) {
        this.failingAfter = props.vendorFailingAfter();
        this.http = http;
        this.meters = meters;
        // each platform's refused access code counted from zero on, so that a rule's increase() sees the first one
        for (be.absencebridge.config.BridgeProperties.Platform p : props.smartschool().platformList()) {
            meters.counter("bridge.vendor.errors", "vendor", "smartschool", "platform", p.name(), "code", String.valueOf(WRONG_ACCESS_CODE),
                    "kind", SmartschoolErrors.Kind.CREDENTIAL.name().toLowerCase());
        }
    }

    /**
     * Calls a method of the platform with its access code first, then the given parameter names and values; the
     * result's text.
     */
    public String call(BridgeProperties.Platform platform, String method, String... namesAndValues) throws Exception {
        try {
            String result = callOnce(platform, method, namesAndValues);
            if (failingSince.remove(platform.name()) != null && reported.remove(platform.name())) {
                LOG.info("Smartschool platform {} answers again", platform.name());
            }
            return result;
        } catch (Exception e) {
            long now = System.nanoTime();
            long since = failingSince.computeIfAbsent(platform.name(), k -> now);
            lastFailure.put(platform.name(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            if (now - since > failingAfter.toNanos() && reported.add(platform.name())) {
                // one line when a platform has failed every call for a while (a wrong address answering a web page, a
                // proxy, a refused credential), one when it answers again
                LOG.error("every call to Smartschool platform {} has failed for more than {}: {}", platform.name(), failingAfter,
                        lastFailure.get(platform.name()));
            }
            throw e;
        }
    }

    /** Calls a method that takes no access code (the WSDL's {@code returnJsonErrorCodes}); the result's text. */
    public String callWithoutAccessCode(BridgeProperties.Platform platform, String method) throws Exception {
        String endpoint = platform.baseUrl() + "/Webservices/V3";
        byte[] response = http.postXml(endpoint, SoapEnvelope.namedRequest(method, endpoint, new String[0], new String[0]),
                endpoint + "#" + method);
        return SoapEnvelope.parseResponse(response);
    }

    /**
     * Why the platform is not usable: every call has failed for longer than {@code bridge.vendor-failing-after} (with
     * the last failure), or null.
     */
    public String failing(String platform) {
        Long since = failingSince.get(platform);
        if (since == null || System.nanoTime() - since <= failingAfter.toNanos()) {
            return null;
        }
        return "every call has failed for " + java.time.Duration.ofNanos(System.nanoTime() - since).toSeconds() + " s: "
                + lastFailure.get(platform);
    }

    private String callOnce(BridgeProperties.Platform platform, String method, String... namesAndValues) throws Exception {
        String endpoint = platform.baseUrl() + "/Webservices/V3";
        String[] names = new String[namesAndValues.length / 2 + 1];
        String[] values = new String[names.length];
        names[0] = "accesscode";
        values[0] = platform.accesscode();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            names[i / 2 + 1] = namesAndValues[i];
            values[i / 2 + 1] = namesAndValues[i + 1];
        }
        String namespace = endpoint;
        byte[] response = http.postXml(endpoint, SoapEnvelope.namedRequest(method, namespace, names, values), namespace + "#" + method);
        String result = SoapEnvelope.parseResponse(response);
        if (ERROR_CODE.matcher(result).matches()) {
            int code = Integer.parseInt(result.trim());
            SmartschoolErrors.Meaning meaning = SmartschoolErrors.of(code);
            Integer before = lastError.put(platform.name(), code);
            meters.counter("bridge.vendor.errors", "vendor", "smartschool", "platform", platform.name(), "code", String.valueOf(code),
                    "kind", meaning.kind().name().toLowerCase()).increment();
            if (code == WRONG_ACCESS_CODE) {
                LOG.error("Smartschool platform {} refused the web-services access code (error {}): check "
                        + "bridge.smartschool.platforms.{}.accesscode", platform.name(), code, platform.name());
            } else if (before == null || before != code) {
                // once per change of the platform's answer: every poll would say it again
                LOG.warn("Smartschool platform {} answered {} with error {} ({}: {})", platform.name(), method, code,
                        meaning.kind().name().toLowerCase(), meaning.text());
            }
            throw new ErrorCodeException(method, code);
        }
        lastError.put(platform.name(), 0);
        return result;
    }

    /** The error code of the platform's last call (0 when it succeeded or none was made). */
    public int lastError(String platform) {
        return lastError.getOrDefault(platform, 0);
    }
}
