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
 * metric {@code bridge_vendor_errors_total}, the vendor's health), and so is a method the link's restricted profile lacks
 * ({@code 8} for it while other methods answer: {@code kind="restricted"}).
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

        private final SmartschoolErrors.Kind kind;

        public ErrorCodeException(String method, int code) {
            this(method, code, SmartschoolErrors.of(code).kind());
        }

        ErrorCodeException(String method, int code, SmartschoolErrors.Kind kind) {
            super("Smartschool answered " + method + " with error code " + code + " (" + (kind == SmartschoolErrors.Kind.RESTRICTED
                    ? "the access code works, but the link's profile does not allow " + method : SmartschoolErrors.of(code).text()) + ")");
            this.code = code;
            this.kind = kind;
        }

        /** What the code means for the link. */
        public SmartschoolErrors.Kind kind() {
            return kind;
        }

        public int code() {
            return code;
        }
    }

    private final VendorHttp http;
    private final MeterRegistry meters;
    /** Each platform's last answer's error code (absent or 0: none), for the log line once per change. */
    private final java.util.Map<String, Integer> lastError = new java.util.concurrent.ConcurrentHashMap<>();

    /** A call that worked: repeated to learn whether a refused access code is refused for every method. */
    private record Call(String method, String[] namesAndValues) {
    }

    /**
     * What each platform's access code opens, as its answers showed it: refused as a whole (every call answers 8, so the
     * health shows the credential alarm), or refused for some methods only while others answer (a profile with restricted
     * access that lacks them: the restricted alarm), and the last call that worked.
     */
    private static final class Access {
        volatile boolean refused;
        final java.util.Set<String> restricted = java.util.concurrent.ConcurrentHashMap.newKeySet();
        volatile Call lastGood;
    }

    private final java.util.Map<String, Access> access = new java.util.concurrent.ConcurrentHashMap<>();

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
            for (SmartschoolErrors.Kind kind : new SmartschoolErrors.Kind[] {SmartschoolErrors.Kind.CREDENTIAL, SmartschoolErrors.Kind.RESTRICTED}) {
                meters.counter("bridge.vendor.errors", "vendor", "smartschool", "platform", p.name(), "code", String.valueOf(WRONG_ACCESS_CODE),
                        "kind", kind.name().toLowerCase());
            }
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
        String result = exchange(platform, method, namesAndValues);
        Access a = access.computeIfAbsent(platform.name(), k -> new Access());
        if (ERROR_CODE.matcher(result).matches()) {
            int code = Integer.parseInt(result.trim());
            SmartschoolErrors.Meaning meaning = SmartschoolErrors.of(code);
            SmartschoolErrors.Kind kind = code == WRONG_ACCESS_CODE ? refusedFor(platform, a, method) : meaning.kind();
            Integer before = lastError.put(platform.name(), code);
            meters.counter("bridge.vendor.errors", "vendor", "smartschool", "platform", platform.name(), "code", String.valueOf(code),
                    "kind", kind.name().toLowerCase()).increment();
            if (kind == SmartschoolErrors.Kind.CREDENTIAL) {
                LOG.error("Smartschool platform {} refused the web-services access code (error {}): check "
                        + "bridge.smartschool.platforms.{}.accesscode", platform.name(), code, platform.name());
            } else if (kind != SmartschoolErrors.Kind.RESTRICTED && (before == null || before != code)) {
                // once per change of the platform's answer: every poll would say it again
                LOG.warn("Smartschool platform {} answered {} with error {} ({}: {})", platform.name(), method, code,
                        meaning.kind().name().toLowerCase(), meaning.text());
            }
            throw new ErrorCodeException(method, code, kind);
        }
        lastError.put(platform.name(), 0);
        a.refused = false;
        a.lastGood = new Call(method, namesAndValues.clone());
        if (a.restricted.remove(method)) {
            LOG.info("Smartschool platform {} allows {} to the link again", platform.name(), method);
        }
        return result;
    }

    /**
     * A method answered that the access code is wrong: refused as a whole ({@link SmartschoolErrors.Kind#CREDENTIAL}), or
     * only for this method while another one still answers with the same code (the platform gave the link a profile with
     * restricted access that lacks it: {@link SmartschoolErrors.Kind#RESTRICTED}, one ERROR line when it starts). On a
     * change the last call that worked is made again to tell the two apart (reads only: the bridge calls no other V3 method).
     */
    private SmartschoolErrors.Kind refusedFor(BridgeProperties.Platform platform, Access a, String method) {
        if (a.restricted.contains(method)) {
            return SmartschoolErrors.Kind.RESTRICTED;
        }
        if (a.refused) {
            return SmartschoolErrors.Kind.CREDENTIAL;
        }
        Call good = a.lastGood;
        boolean othersAnswer = false;
        if (good != null && !good.method().equals(method)) {
            try {
                othersAnswer = !ERROR_CODE.matcher(exchange(platform, good.method(), good.namesAndValues())).matches();
            } catch (Exception e) {
                othersAnswer = false;
            }
        }
        if (!othersAnswer) {
            a.refused = true;
            a.lastGood = null;
            return SmartschoolErrors.Kind.CREDENTIAL;
        }
        a.restricted.add(method);
        LOG.error("Smartschool platform {} does not allow {} to the link (error {} while {} answers with the same access code): "
                        + "the link's web-services profile lacks it; the platform's administrator must add it to the profile "
                        + "(Algemene configuratie > Webservices)", platform.name(), method, WRONG_ACCESS_CODE, good.method());
        return SmartschoolErrors.Kind.RESTRICTED;
    }

    /** One V3 call with the platform's access code: the {@code <return>} text, an error code included. */
    private String exchange(BridgeProperties.Platform platform, String method, String... namesAndValues) throws Exception {
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
        return SoapEnvelope.parseResponse(response);
    }

    /**
     * What is wrong with the bridge's access to the platform, as its answers showed it: the access code refused, or
     * methods the link's restricted profile lacks; null when nothing is.
     */
    public String alarm(String platform) {
        Access a = access.get(platform);
        if (a == null) {
            return null;
        }
        if (a.refused) {
            return "Smartschool platform " + platform + " refuses the web-services access code (error 8): check "
                    + "bridge.smartschool.platforms." + platform + ".accesscode";
        }
        if (!a.restricted.isEmpty()) {
            return "Smartschool platform " + platform + " does not allow " + String.join(", ", new java.util.TreeSet<>(a.restricted))
                    + " to the link (error 8 while other methods answer with the same access code): the link's web-services "
                    + "profile lacks " + (a.restricted.size() == 1 ? "it" : "them");
        }
        return null;
    }
}
