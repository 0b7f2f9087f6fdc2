package be.absencebridge.sim.smartschool;

import be.absencebridge.sim.support.SchoolYear;
import be.absencebridge.sim.Population;
import be.absencebridge.sim.Population.Pupil;
import be.absencebridge.sim.smartschool.SmartschoolSimulator.Cell;
import be.absencebridge.sim.support.SoapCall;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Smartschool's public SOAP web services V3 ({@code https://<school>.smartschool.be/Webservices/V3}), the methods a link
 * reads: the absence reads and the account reads that match pupils, with a WSDL ({@code ?wsdl}: RPC style,
 * SOAP-encoded, service {@code V3Service}, port {@code V3Port}, target namespace the endpoint's own address). A result is
 * one JSON string in {@code <return xsi:type="xsd:string">}; a failed call returns Smartschool's integer error code as
 * the {@code <return>} value, one of the 57 published ones ({@link SmartschoolErrorCodes}: {@code 8} wrong access code or
 * a method outside the link's restricted profile, {@code 12} no such user, {@code 23} a processing error, {@code 49}
 * invalid date, {@code 56} invalid school year), never a SOAP fault: a fault is only for an envelope that cannot be read
 * or an unknown method. Parameters come named (WSDL-mode
 * clients) or positional ({@code param0}, {@code param1}: PHP's non-WSDL mode). See README "The simulators" for the
 * sources and what is guessed.
 */
@RestController
@ConditionalOnProperty(name = "bridge.sim.enabled", havingValue = "true", matchIfMissing = true)
public class SmartschoolSoapController {

    private static final String PATH = "/sim/smartschool/{platform}/Webservices/V3";
    private static final MediaType XML = new MediaType("text", "xml", StandardCharsets.UTF_8);
    private static final int ERROR_ACCESSCODE = SmartschoolErrorCodes.WRONG_PASSWORD;
    private static final int ERROR_NO_SUCH_USER = SmartschoolErrorCodes.NO_SUCH_USER;
    private static final int ERROR_DATE = SmartschoolErrorCodes.INVALID_DATE;

    /** Each method this simulator answers and its parameters, in the WSDL's order (the public sources' part names). */
    static final Map<String, List<String>> METHODS = new LinkedHashMap<>();

    static {
        METHODS.put("getAbsents", List.of("accesscode", "userIdentifier", "schoolYear"));
        METHODS.put("getAbsentsWithAlias", List.of("accesscode", "userIdentifier", "schoolYear"));
        METHODS.put("getAbsentsByDate", List.of("accesscode", "date"));
        METHODS.put("getAbsentsWithAliasByDate", List.of("accesscode", "date"));
        METHODS.put("getAbsentsWithInternalNumberByDate", List.of("accesscode", "date"));
        METHODS.put("getAbsentsWithUsernameByDate", List.of("accesscode", "date"));
        METHODS.put("getAbsentsByDateAndGroup", List.of("accesscode", "date", "code"));
        METHODS.put("getAllAccountsExtended", List.of("accesscode", "code", "recursive"));
        METHODS.put("getUserDetails", List.of("accesscode", "userIdentifier"));
        METHODS.put("getStudentCareer", List.of("accesscode", "userIdentifier"));
        METHODS.put("getSchoolyearDataOfClass", List.of("accesscode", "classCode"));
        METHODS.put("returnJsonErrorCodes", List.of());
    }

    /** The methods that take an access code: what a restricted profile can open. */
    public static List<String> methods() {
        return METHODS.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
    }

    private final SmartschoolPlatforms platforms;
    private final SmartschoolAccessCodes accesscodes;
    private final ObjectMapper json;

    public SmartschoolSoapController(SmartschoolPlatforms platforms, SmartschoolAccessCodes accesscodes, ObjectMapper json) {
        this.platforms = platforms;
        this.accesscodes = accesscodes;
        this.json = json;
    }

    /** No platform by that name: as a host that does not exist, nothing a SOAP client could read. */
    private static ResponseEntity<String> noPlatform() {
        return ResponseEntity.status(404).contentType(MediaType.TEXT_PLAIN).body("no Smartschool platform here");
    }

    /** The endpoint's own address, as the request reached it: the WSDL's address and target namespace. */
    private static String endpoint(HttpServletRequest request) {
        String url = request.getRequestURL().toString();
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    @GetMapping(path = PATH)
    public ResponseEntity<String> wsdl(HttpServletRequest request, @org.springframework.web.bind.annotation.PathVariable("platform") String platform) {
        if (platforms.get(platform) == null) {
            return noPlatform();
        }
        if (request.getQueryString() == null || !request.getQueryString().equalsIgnoreCase("wsdl")) {
            return ResponseEntity.status(405).contentType(XML).body(SoapCall.fault("SOAP-ENV:Client", "POST a SOAP envelope, or GET ?wsdl"));
        }
        return ResponseEntity.ok().contentType(XML).body(SmartschoolWsdl.of(endpoint(request), METHODS));
    }

    @PostMapping(path = PATH)
    public ResponseEntity<String> call(HttpServletRequest request, @org.springframework.web.bind.annotation.PathVariable("platform") String platform,
                                       @RequestBody(required = false) byte[] body) throws JsonProcessingException {
        SmartschoolSimulator sim = platforms.get(platform);
        if (sim == null) {
            return noPlatform();
        }
        String namespace = endpoint(request);
        SoapCall call;
        try {
            call = SoapCall.read(body);
        } catch (SoapCall.Unreadable e) {
            return fault(400, "SOAP-ENV:Client", e.getMessage());
        }
        List<String> declared = METHODS.get(call.method());
        if (declared == null) {
            return fault(400, "SOAP-ENV:Client", "Function (\"" + call.method() + "\") is not a valid method for this service");
        }
        List<String> p = call.in(declared);
        if (p == null) {
            return fault(400, "SOAP-ENV:Client", call.method() + " takes the parameters " + String.join(", ", declared));
        }
        if (call.method().equals("returnJsonErrorCodes")) {
            return ok(call.method(), namespace, json.writeValueAsString(SmartschoolErrorCodes.asJson()));
        }
        byte[] expected = accesscodes.of(sim).getBytes(StandardCharsets.UTF_8);
        if (p.get(0) == null || !MessageDigest.isEqual(expected, p.get(0).trim().getBytes(StandardCharsets.UTF_8))) {
            return error(call.method(), namespace, ERROR_ACCESSCODE);
        }
        if (!sim.variants().allows(call.method())) {
            // a profile with restricted access: its password does not open this method. No public source shows the answer
            // (model: the code of a password that is not correct, as the global password's check answers it)
            return error(call.method(), namespace, ERROR_ACCESSCODE);
        }
        if (platforms.faults(platform).drawErrorCode()) {
            // the platform failed while processing (admin/faults errorCodeRate): its "unknown error" code, not a fault
            return error(call.method(), namespace, SmartschoolErrorCodes.UNKNOWN_PROCESSING_ERROR);
        }
        Object result = switch (call.method()) {
            case "getAbsentsWithAliasByDate", "getAbsentsByDate", "getAbsentsWithInternalNumberByDate",
                 "getAbsentsWithUsernameByDate", "getAbsentsByDateAndGroup" -> byDate(sim, call.method(), p);
            case "getAbsents", "getAbsentsWithAlias" -> ofPupil(sim, call.method().equals("getAbsentsWithAlias"), p.get(1), p.get(2));
            case "getAllAccountsExtended" -> accounts(sim, p.get(1));
            case "getUserDetails" -> userDetails(sim, p.get(1));
            case "getStudentCareer" -> career(sim, p.get(1));
            case "getSchoolyearDataOfClass" -> classData(sim, p.get(1));
            default -> throw new IllegalStateException(call.method());
        };
        if (result instanceof Integer code) {
            return error(call.method(), namespace, code);
        }
        return ok(call.method(), namespace, json.writeValueAsString(result));
    }

    // ---- absences ----

    private Object byDate(SmartschoolSimulator sim, String method, List<String> p) {
        LocalDate date = date(p.get(1));
        if (date == null) {
            return ERROR_DATE;
        }
        SmartschoolVariants variants = sim.variants();
        Population pop = sim.population();
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Cell c : sim.registerOf(date)) {
            Pupil pupil = pop.byInternalNumber(c.internalNumber());
            if (method.equals("getAbsentsByDateAndGroup") && !classCode(pupil).equals(p.get(2))) {
                continue;
            }
            String key = method.equals("getAbsentsWithInternalNumberByDate") ? pupil.internalNumber() : pupil.username();
            Map<String, Object> entry = out.computeIfAbsent(key, k -> emptyEntry(method, pupil));
            entry.put(c.part().smartschool(), method.equals("getAbsentsWithAliasByDate")
                    ? withAlias(sim, variants, c, "officialcode") : c.code());
        }
        if (out.isEmpty() && variants.emptyDayAsArray()) {
            // PHP's json_encode of an empty array (model: no public source shows a day with nothing registered)
            return List.of();
        }
        return out;
    }

    /** Every pupil with something registered, both half-days: what was registered, or null (nothing, no school). */
    private static Map<String, Object> emptyEntry(String method, Pupil pupil) {
        Map<String, Object> entry = new LinkedHashMap<>();
        if (method.equals("getAbsentsByDate") || method.equals("getAbsentsByDateAndGroup")) {
            // personal data in the vendor's answer (synthetic here): the bridge must read past it
            entry.put("name", "Leerling " + pupil.internalNumber());
        }
        boolean alias = method.equals("getAbsentsWithAliasByDate");
        entry.put("am", alias ? nullCell("officialcode") : null);
        entry.put("pm", alias ? nullCell("officialcode") : null);
        return entry;
    }

    private static Map<String, Object> nullCell(String codeField) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(codeField, null);
        m.put("alias", null);
        return m;
    }

    /**
     * A registered half-day with the name teachers saw. By default the school's alias when one was used, else the code
     * (model: a guess). With {@code aliasAsLabel}: {@code null} without an alias (AbrantoLabs/smartschool-kit
     * {@code src/types.ts}, {@code getAbsentsWithAlias}: {@code {"code":"|","alias":null}}) and the alias's label with
     * one, as the platform's alias list names it (model: the kit does not show a half-day with an alias; an alias the
     * platform no longer lists keeps its name, its label being gone with it).
     */
    private static Map<String, Object> withAlias(SmartschoolSimulator sim, SmartschoolVariants variants, Cell c, String codeField) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(codeField, c.code());
        if (variants.aliasAsLabel()) {
            m.put("alias", c.alias() == null ? null : label(sim, c.alias()));
        } else {
            m.put("alias", c.alias() != null ? c.alias() : c.code());
        }
        return m;
    }

    /** The label of one of the platform's aliases, or the alias itself when the platform does not list it (any more). */
    private static String label(SmartschoolSimulator sim, String alias) {
        for (SmartschoolSimulator.Alias a : sim.aliases()) {
            if (a.alias().equals(alias) && a.label() != null && !a.label().isBlank()) {
                return a.label();
            }
        }
        return alias;
    }

    /** One pupil's school year ({@code schoolYear}: its first calendar year), keyed by date. */
    private Object ofPupil(SmartschoolSimulator sim, boolean alias, String userIdentifier, String schoolYear) {
        Pupil pupil = pupil(sim, userIdentifier);
        if (pupil == null) {
            return ERROR_NO_SUCH_USER;
        }
        SchoolYear year;
        try {
            year = new SchoolYear(Integer.parseInt(schoolYear == null ? "" : schoolYear.trim()));
        } catch (NumberFormatException e) {
            // not a school year's first calendar year (model: which code the platform answers is not published; the
            // published list has one for a date that is not valid for the school year)
            return SmartschoolErrorCodes.INVALID_SCHOOL_YEAR;
        }
        SmartschoolVariants variants = sim.variants();
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        if (!sim.population().covers(year)) {
            return out;
        }
        for (LocalDate d = year.firstDay(); !d.isAfter(year.lastDay()); d = d.plusDays(1)) {
            for (Cell c : sim.registerOf(d)) {
                if (c.internalNumber().equals(pupil.internalNumber())) {
                    Map<String, Object> day = out.computeIfAbsent(d.toString(), k -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("am", alias ? nullCell("code") : null);
                        m.put("pm", alias ? nullCell("code") : null);
                        return m;
                    });
                    day.put(c.part().smartschool(), alias ? withAlias(sim, variants, c, "code") : c.code());
                }
            }
        }
        return out;
    }

    // ---- accounts ----

    /** The accounts of a group (empty: everyone), as a JSON list of their profile fields and group memberships. */
    private Object accounts(SmartschoolSimulator sim, String group) {
        List<Map<String, Object>> out = new ArrayList<>();
        boolean basisrolAsInteger = sim.variants().basisrolAsInteger();
        for (Pupil p : sim.population().pupils()) {
            if (group == null || group.isBlank() || classCode(p).equals(group.trim())) {
                out.add(account(p, basisrolAsInteger));
            }
        }
        return out;
    }

    private Object userDetails(SmartschoolSimulator sim, String userIdentifier) {
        Pupil p = pupil(sim, userIdentifier);
        return p == null ? (Object) ERROR_NO_SUCH_USER : account(p, sim.variants().basisrolAsInteger());
    }

    /** The kit's {@code SaveUser} note numbers the base roles: 0 teacher, 1 pupil, 13 other, 30 management. */
    static final int BASISROL_PUPIL = 1;

    private Map<String, Object> account(Pupil p, boolean basisrolAsInteger) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gebruikersnaam", p.username());
        m.put("internnummer", p.internalNumber());
        m.put("stamboeknummer", p.registrationNumber());
        // personal data in the vendor's answer (synthetic here): the bridge keeps none of it
        m.put("voornaam", "Voornaam" + p.internalNumber());
        m.put("naam", "Naam" + p.internalNumber());
        m.put("basisrol", basisrolAsInteger ? (Object) BASISROL_PUPIL : "leerling");
        m.put("status", "actief");
        m.put("groups", List.of(Map.of("code", classCode(p), "name", p.classCode(), "isKlas", true, "isOfficial", true)));
        return m;
    }

    /** The pupil's school career: per period the registration number, the institution and the official class. */
    private Object career(SmartschoolSimulator sim, String userIdentifier) {
        Pupil p = pupil(sim, userIdentifier);
        if (p == null) {
            return ERROR_NO_SUCH_USER;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inClass", true);
        m.put("outSchool", p.endDate() != null);
        m.put("date", p.startDate().toString());
        m.put("stamboeknummer", p.registrationNumber());
        m.put("groupName", p.classCode());
        m.put("groupCode", classCode(p));
        m.put("instituteNumber", p.institutionNumber());
        return List.of(m);
    }

    /**
     * An official class's school-year data: its institution number. By default one object (AbrantoLabs/smartschool-kit
     * {@code src/mod.ts} example); with {@code classDataAsArray} an array of class records (kit {@code src/types.ts}),
     * here the one record of the population's (first) school year: the seed keeps a class in one institution, so there
     * is no earlier year's record with another institution number to add.
     */
    private Object classData(SmartschoolSimulator sim, String classCode) {
        for (Pupil p : sim.population().pupils()) {
            if (classCode(p).equals(classCode == null ? "" : classCode.trim())) {
                if (sim.variants().classDataAsArray()) {
                    return List.of(classRecord(sim, p));
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("schoolyear", sim.population().schoolYear().startYear());
                m.put("instituteNumber", p.institutionNumber());
                m.put("administrativeGroupNumber", null);
                return m;
            }
        }
        return ERROR_NO_SUCH_USER;
    }

    /**
     * One class record as kit {@code types.ts} has it: {@code id}, {@code groupId}, {@code name}, {@code desc},
     * {@code code}, {@code schoolyear} written {@code YYYY-YYYY}, {@code instituteNumber}, {@code administrativeGroupNumber}
     * a number. The numbers are derived from the class code, stable across seeds (model: their values are not published;
     * positive, {@code administrativeGroupNumber} of four to five digits as the kit's {@code 6246}).
     */
    private static Map<String, Object> classRecord(SmartschoolSimulator sim, Pupil p) {
        String code = classCode(p);
        int hash = code.hashCode() & 0x7fffffff;
        SchoolYear year = sim.population().schoolYear();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", 100_000 + hash % 900_000);
        m.put("groupId", 1_000 + (hash / 7) % 9_000);
        m.put("name", p.classCode());
        m.put("desc", "Klas " + p.classCode());
        m.put("code", code);
        m.put("schoolyear", year.startYear() + "-" + (year.startYear() + 1));
        m.put("instituteNumber", p.institutionNumber());
        m.put("administrativeGroupNumber", 1_000 + (hash / 13) % 90_000);
        return m;
    }

    /** A class code unique on the platform (Smartschool's codes are; the population's repeat across institutions). */
    static String classCode(Pupil p) {
        return p.classCode() + "-" + p.institutionNumber();
    }

    /** A pupil by the platform's unique field: username or internal number. */
    private Pupil pupil(SmartschoolSimulator sim, String userIdentifier) {
        if (userIdentifier == null) {
            return null;
        }
        String id = userIdentifier.trim();
        Pupil byNumber = sim.population().byInternalNumber(id);
        if (byNumber != null) {
            return byNumber;
        }
        for (Pupil p : sim.population().pupils()) {
            if (p.username().equals(id)) {
                return p;
            }
        }
        return null;
    }

    private static LocalDate date(String text) {
        try {
            return text == null ? null : LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static ResponseEntity<String> ok(String method, String namespace, String result) {
        return ResponseEntity.ok().contentType(XML).body(SoapCall.result(method, namespace, result));
    }

    private static ResponseEntity<String> error(String method, String namespace, int code) {
        return ResponseEntity.ok().contentType(XML).body(SoapCall.integerResult(method, namespace, code));
    }

    private static ResponseEntity<String> fault(int status, String code, String message) {
        return ResponseEntity.status(status).contentType(XML).body(SoapCall.fault(code, message));
    }
}
