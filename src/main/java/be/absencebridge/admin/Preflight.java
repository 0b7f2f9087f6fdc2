package be.absencebridge.admin;

import be.absencebridge.config.BridgeProperties;
import be.absencebridge.domain.SchoolYear;
import be.absencebridge.vendor.VendorHttp;
import be.absencebridge.vendor.informat.InformatPupilApi;
import be.absencebridge.vendor.informat.InformatTokens;
import be.absencebridge.vendor.smartschool.Platforms;
import be.absencebridge.vendor.smartschool.SmartschoolErrors;
import be.absencebridge.vendor.smartschool.SmartschoolSoap;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a school runs against its real vendors before going live (as Airbyte's connector {@code check}): with the
 * configuration in force, only read-only calls, per Smartschool platform (the WSDL, the error codes list, the accounts,
 * a class's school-year data, today's register, the partner settings when configured) and for Informat (a token per
 * institute, the partner reads or the older pupil API's lists), and a report: reachable, the credential, which
 * published reading each disputed answer matched, what the partner endpoints offer, and what will not work. Counts and
 * shapes only: no pupil, no name, no code of a pupil in the report.
 */
@Component
public class Preflight {

    private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

    private final BridgeProperties props;
    private final Platforms platforms;
    private final SmartschoolSoap soap;
    private final VendorHttp http;
    private final InformatTokens tokens;
    private final InformatPupilApi pupilApi;
    private final ObjectMapper json;
    private final Clock clock;

    public Preflight(BridgeProperties props, Platforms platforms, SmartschoolSoap soap, VendorHttp http, InformatTokens tokens,
                     InformatPupilApi pupilApi, ObjectMapper json, Clock clock) {
        this.props = props;
        this.platforms = platforms;
        this.soap = soap;
        this.http = http;
        this.tokens = tokens;
        this.pupilApi = pupilApi;
        this.json = json;
        this.clock = clock;
    }

    /** The report: {@code ok} when every vendor is reachable, its credential valid and nothing the exchange needs fails. */
    public Map<String, Object> run() {
        List<Map<String, Object>> vendors = new ArrayList<>();
        for (BridgeProperties.Platform p : platforms.all()) {
            vendors.add(smartschool(p));
        }
        vendors.add(informat());
        boolean ok = vendors.stream().allMatch(v -> ((List<?>) v.get("problems")).isEmpty());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("ok", ok);
        report.put("vendors", vendors);
        return report;
    }

    private Map<String, Object> smartschool(BridgeProperties.Platform p) {
        Map<String, Object> v = vendor("smartschool", p.name());
        List<String> problems = problems(v);
        Map<String, Object> readings = readings(v);
        try {
            String wsdl = new String(http.getBytes(p.baseUrl() + "/Webservices/V3?wsdl"), java.nio.charset.StandardCharsets.UTF_8);
            boolean isWsdl = wsdl.contains("definitions") && wsdl.contains("getAbsentsWithAliasByDate");
            v.put("reachable", isWsdl);
            if (!isWsdl) {
                problems.add("the address answers, but not with Smartschool's V3 WSDL: check bridge.smartschool.platforms." + p.name() + ".base-url");
                return v;
            }
        } catch (Exception e) {
            v.put("reachable", false);
            problems.add("the WSDL cannot be read: " + e.getMessage());
            return v;
        }
        try {
            JsonNode codes = json.readTree(soap.callWithoutAccessCode(p, "returnJsonErrorCodes"));
            readings.put("errorCodes", codes.size());
        } catch (Exception e) {
            problems.add("returnJsonErrorCodes: " + e.getMessage());
        }
        String officialClass = null;
        try {
            JsonNode accounts = json.readTree(soap.call(p, "getAllAccountsExtended", "code", "", "recursive", "1"));
            v.put("credential", "valid");
            int pupils = 0;
            for (JsonNode a : accounts) {
                JsonNode role = a.path("basisrol");
                if ("leerling".equalsIgnoreCase(role.asText()) || role.asText().equals("1")) {
                    pupils++;
                    readings.putIfAbsent("basisrol", role.isNumber() ? "integer" : "text");
                    for (JsonNode g : a.path("groups")) {
                        if (officialClass == null && g.path("isKlas").asBoolean() && g.path("isOfficial").asBoolean()) {
                            officialClass = g.path("code").asText(null);
                        }
                    }
                }
            }
            readings.put("pupils", pupils);
            if (pupils == 0) {
                problems.add("the accounts read shows no pupil (basisrol neither \"leerling\" nor 1)");
            }
        } catch (SmartschoolSoap.ErrorCodeException e) {
            if (e.kind() == SmartschoolErrors.Kind.RESTRICTED
                    || e.kind() == SmartschoolErrors.Kind.CREDENTIAL && opensTheRegister(p)) {
                // the access code works for another method: the link's restricted profile lacks this one
                v.put("credential", "valid");
                problems.add("getAllAccountsExtended: error code " + e.code() + " while getAbsentsWithAliasByDate answers with the "
                        + "same access code: the link's web-services profile does not allow getAllAccountsExtended");
            } else {
                v.put("credential", e.kind() == SmartschoolErrors.Kind.CREDENTIAL ? "refused" : "unknown");
                problems.add("getAllAccountsExtended: " + e.getMessage());
                if (e.kind() == SmartschoolErrors.Kind.UNPUBLISHED) {
                    problems.add("an error code no public source lists: the link's profile may not allow getAllAccountsExtended");
                }
                return v;
            }
        } catch (Exception e) {
            problems.add("getAllAccountsExtended: " + e.getMessage());
        }
        if (officialClass != null) {
            try {
                JsonNode classData = json.readTree(soap.call(p, "getSchoolyearDataOfClass", "classCode", officialClass));
                readings.put("classData", classData.isArray() ? "array" : "object");
            } catch (Exception e) {
                problems.add("getSchoolyearDataOfClass: " + e.getMessage());
            }
        }
        try {
            String today = LocalDate.now(clock.withZone(BRUSSELS)).toString();
            String answer = soap.call(p, "getAbsentsWithAliasByDate", "date", today);
            JsonNode register = answer == null || answer.isBlank() ? null : json.readTree(answer);
            readings.put("emptyDay", register == null ? "empty" : register.isArray() ? (register.isEmpty() ? "[]" : "array")
                    : register.isEmpty() ? "{}" : "not empty today");
            if (register != null && register.isObject()) {
                readings.put("alias", aliasReading(register));
            }
        } catch (Exception e) {
            problems.add("getAbsentsWithAliasByDate: " + e.getMessage());
        }
        Map<String, Object> partner = new LinkedHashMap<>();
        v.put("partner", partner);
        if (!p.partner()) {
            partner.put("configured", false);
            v.put("notWithThisConfiguration", List.of("writing into Smartschool (Informat to Smartschool, write-backs, repairs)",
                    "pushes (the poller carries Smartschool to Informat)", "the absence-sync switch and the aliases (read as on / unknown)"));
        } else {
            partner.put("configured", true);
            try {
                JsonNode settings = http.getObject(p.baseUrl() + "/partner/v1/settings", Map.of("Authorization", "Bearer " + p.accesscode()));
                partner.put("settings", true);
                partner.put("absenceSyncEnabled", settings.path("absenceSyncEnabled").asBoolean(false));
                partner.put("aliases", settings.path("aliases").size());
            } catch (Exception e) {
                partner.put("settings", false);
                problems.add("partner/v1/settings: " + e.getMessage());
            }
        }
        return v;
    }

    /** Whether today's register read answers with the platform's access code (read-only). */
    private boolean opensTheRegister(BridgeProperties.Platform p) {
        try {
            soap.call(p, "getAbsentsWithAliasByDate", "date", LocalDate.now(clock.withZone(BRUSSELS)).toString());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Which reading {@code alias} follows in today's register: null, the code itself, or a label. */
    private static String aliasReading(JsonNode register) {
        for (java.util.Iterator<JsonNode> it = register.elements(); it.hasNext(); ) {
            JsonNode pupil = it.next();
            for (String part : List.of("am", "pm")) {
                JsonNode cell = pupil.path(part);
                if (cell.isObject() && cell.hasNonNull("officialcode")) {
                    JsonNode alias = cell.get("alias");
                    if (alias == null || alias.isNull()) {
                        return "null without an alias";
                    }
                    if (alias.asText().equals(cell.path("officialcode").asText())) {
                        return "the code without an alias";
                    }
                }
            }
        }
        return "not seen today";
    }

    private Map<String, Object> informat() {
        Map<String, Object> v = vendor("informat", "");
        List<String> problems = problems(v);
        Map<String, Object> readings = readings(v);
        BridgeProperties.Informat settings = props.informat();
        List<String> institutes = new ArrayList<>();
        Map<String, Object> partner = new LinkedHashMap<>();
        v.put("partner", partner);
        partner.put("configured", settings.partner());
        try {
            if (settings.partner()) {
                JsonNode locations = http.getArray(settings.partnerUrl() + "/locations");
                v.put("reachable", true);
                partner.put("locations", locations.size());
                for (JsonNode l : locations) {
                    if (!institutes.contains(l.path("instituteNo").asText())) {
                        institutes.add(l.path("instituteNo").asText());
                    }
                }
            } else {
                settings.branches().forEach(b -> {
                    if (!institutes.contains(b.instituteNo())) {
                        institutes.add(b.instituteNo());
                    }
                });
                v.put("notWithThisConfiguration", List.of("Informat to Smartschool (no public read of absences)",
                        "a clear, a remark, a kindergarten or primary pupil (the public Student API writes secondary codes only)",
                        "reconciliations and backfills from Informat (no public read)"));
            }
        } catch (Exception e) {
            v.put("reachable", false);
            problems.add("Informat's partner locations: " + e.getMessage());
            return v;
        }
        Map<String, Object> tokensOf = new LinkedHashMap<>();
        boolean allValid = !institutes.isEmpty();
        for (String institute : institutes) {
            try {
                tokens.authorization(institute);
                tokensOf.put(institute, "valid");
            } catch (Exception e) {
                allValid = false;
                tokensOf.put(institute, "refused");
                problems.add("a token for institute " + institute + ": " + e.getMessage());
            }
        }
        v.put("credential", institutes.isEmpty() ? "unknown" : allValid ? "valid" : "refused");
        readings.put("tokens", tokensOf);
        if (!allValid) {
            return v;
        }
        String year = SchoolYear.of(LocalDate.now(clock.withZone(BRUSSELS))).toString();
        try {
            if (settings.partner()) {
                partner.put("students", http.getArray(settings.partnerUrl() + "/students?schoolYear=" + year).size());
                partner.put("calendarHalfDays", http.getArray(settings.partnerUrl() + "/calendar?schoolYear=" + year).size());
                JsonNode feed = http.getObject(settings.partnerUrl() + "/absences/changes?limit=1");
                partner.put("changeFeed", feed.has("items"));
            } else {
                for (String institute : institutes) {
                    JsonNode registrations = pupilApi.read("/1/registrations?schoolYear=" + year, institute);
                    readings.put("registrations " + institute, registrations.path("registrations").size());
                }
            }
        } catch (Exception e) {
            if (e instanceof InformatPupilApi.ErrorAnswer refused && refused.kind() == InformatPupilApi.Kind.CREDENTIAL) {
                // the token works at the identity server, the API refuses it (its scope lacks the institute)
                v.put("credential", "refused");
            }
            problems.add("Informat's reads: " + e.getMessage());
        }
        return v;
    }

    private static Map<String, Object> vendor(String vendor, String platform) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("vendor", vendor);
        v.put("platform", platform);
        v.put("reachable", false);
        v.put("credential", "unknown");
        v.put("readings", new LinkedHashMap<String, Object>());
        v.put("problems", new ArrayList<String>());
        return v;
    }

    @SuppressWarnings("unchecked")
    private static List<String> problems(Map<String, Object> v) {
        return (List<String>) v.get("problems");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readings(Map<String, Object> v) {
        return (Map<String, Object>) v.get("readings");
    }
}
