package be.absencebridge.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.Map;

/**
 * What every test that drives the simulators over HTTP needs: the population, the people's own
 * registrations, and the stored registers. The test bases extend it and set {@link #http}.
 */
public abstract class SimulatorClient {

    protected Http http;

    protected JsonNode students() {
        return http.get("/sim/informat/admin/students").json();
    }

    protected JsonNode smartschoolPupils() {
        return http.get("/sim/smartschool/admin/pupils").json();
    }

    protected String internalNumberOf(JsonNode student) {
        for (JsonNode p : smartschoolPupils()) {
            if (p.path("institutionNumber").asText().equals(student.path("instituteNo").asText())
                    && p.path("registrationNumber").asText().equals(student.path("studentNo").asText())) {
                return p.path("internalNumber").asText();
            }
        }
        throw new IllegalStateException("no Smartschool pupil for student");
    }

    /** The Smartschool platform that holds the pupil with this internal number. */
    protected String platformOf(String internalNumber) {
        for (JsonNode p : smartschoolPupils()) {
            if (p.path("internalNumber").asText().equals(internalNumber)) {
                return p.path("platform").asText();
            }
        }
        throw new IllegalStateException("no Smartschool pupil " + internalNumber);
    }

    /** The webhook of the Smartschool platform that holds the pupil: its pushes come there. */
    protected String smartschoolWebhook(String internalNumber) {
        return "/api/inbound/smartschool/" + platformOf(internalNumber);
    }

    /** The push headers of the pupil's platform in the sim profile (school2 has a secret of its own), signed now. */
    protected PushHeaders smartschoolSigner(String internalNumber) {
        return new PushHeaders(
                "school2".equals(platformOf(internalNumber)) ? "sim-school2-webhook-secret" : "sim-smartschool-webhook-secret",
                signingClock());
    }

    /** The clock a test's pushes are signed with: the bridge's, where the test has one. */
    protected java.time.Clock signingClock() {
        return java.time.Clock.systemUTC();
    }

    /** A student enrolled all year, of the given level, compulsory or not. */
    protected JsonNode student(String level, boolean compulsory) {
        return student(level, compulsory, 0);
    }

    /**
     * The {@code n}th such student (0 the first): a test that must not meet what other tests decided for the same
     * pupil (the bridge's database outlives a test) takes one of its own.
     */
    protected JsonNode student(String level, boolean compulsory, int n) {
        int seen = 0;
        for (JsonNode s : students()) {
            boolean isCompulsory = Integer.parseInt(s.path("dateOfBirth").asText().substring(0, 4)) + 5 <= 2026;
            if (s.path("level").asText().equals(level) && isCompulsory == compulsory
                    && s.path("startDate").asText().equals("2026-09-01") && s.path("endDate").isNull() && seen++ == n) {
                return s;
            }
        }
        throw new IllegalStateException("no such student: " + level + " compulsory=" + compulsory + " #" + n);
    }

    /** A teacher registers in Smartschool's screen; {@code registeredAt} null means now. */
    protected Http.Response smartschoolRegister(String internal, String date, String part, String code, String alias,
                                                String motivation, String registeredAt) {
        Map<String, Object> body = new HashMap<>();
        body.put("internalNumber", internal);
        body.put("date", date);
        body.put("part", part);
        body.put("code", code);
        body.put("alias", alias);
        body.put("motivation", motivation);
        body.put("registeredAt", registeredAt);
        return http.postJson("/sim/smartschool/admin/register", body);
    }

    protected Http.Response smartschoolRegister(String internal, String date, String part, String code, String alias, String motivation) {
        return smartschoolRegister(internal, date, part, code, alias, motivation, null);
    }

    /** The administration registers (or clears, with code null) in Informat's screen, now. */
    protected Http.Response informatRegister(String personId, String date, String partOfDay, String code, String remark) {
        Map<String, Object> body = new HashMap<>();
        body.put("personId", personId);
        body.put("date", date);
        body.put("partOfDay", partOfDay);
        body.put("absenceCode", code);
        body.put("remark", remark);
        return http.postJson("/sim/informat/admin/register", body);
    }

    /** The stored Smartschool cell of a pupil, or null. */
    protected JsonNode smartschoolCell(String internal, String date, String part) {
        for (JsonNode c : http.get("/sim/smartschool/admin/register?date=" + date).json()) {
            if (c.path("internalNumber").asText().equals(internal) && c.path("part").asText().equals(part)) {
                return c;
            }
        }
        return null;
    }

    /** The stored Informat absence of a pupil, or null. */
    protected JsonNode informatCell(String personId, String date, String partOfDay) {
        for (JsonNode c : http.get("/sim/informat/admin/register?date=" + date).json()) {
            if (c.path("personId").asText().equals(personId) && c.path("partOfDay").asText().equals(partOfDay)) {
                return c;
            }
        }
        return null;
    }

    // ---- pupils change (enrolments made, ended and moved through Informat) ----

    /** The branches as Informat's controls list them. */
    protected JsonNode locations() {
        return http.get("/sim/informat/admin/locations").json();
    }

    /**
     * A new pupil enrolled in Informat at a branch (level kleuter, lager or so), born at an age that fits the level; its
     * Smartschool account appears {@code delaySeconds} later by the simulators' clock. Answers the enrolment.
     */
    protected JsonNode enrol(int locationIdDiscimus, String startDate, String level, int delaySeconds) {
        String birth = switch (level) {
            case "kleuter" -> "2022-03-14";
            case "lager" -> "2018-03-14";
            default -> "2012-03-14";
        };
        Map<String, Object> body = new HashMap<>();
        body.put("locationIdDiscimus", locationIdDiscimus);
        body.put("startDate", startDate);
        body.put("level", level);
        body.put("dateOfBirth", birth);
        body.put("smartschoolDelaySeconds", delaySeconds);
        Http.Response r = http.postJson("/sim/informat/admin/enrolments", body);
        if (r.status() != 201) {
            throw new IllegalStateException("enrolment failed: " + r.status() + " " + r.text());
        }
        return r.json();
    }

    /** The person's current enrolment ends on {@code endDate}; Smartschool learns it {@code delaySeconds} later. */
    protected JsonNode endEnrolment(String personId, String endDate, int delaySeconds) {
        Http.Response r = http.postJson("/sim/informat/admin/enrolments/" + personId + "/end",
                Map.of("endDate", endDate, "smartschoolDelaySeconds", delaySeconds));
        if (r.status() != 200) {
            throw new IllegalStateException("end failed: " + r.status() + " " + r.text());
        }
        return r.json();
    }

    /** The person moves to another branch from {@code date}; answers the new enrolment. */
    protected JsonNode move(String personId, int locationIdDiscimus, String date, int delaySeconds) {
        Http.Response r = http.postJson("/sim/informat/admin/enrolments/" + personId + "/move",
                Map.of("locationIdDiscimus", locationIdDiscimus, "date", date, "smartschoolDelaySeconds", delaySeconds));
        if (r.status() != 200) {
            throw new IllegalStateException("move failed: " + r.status() + " " + r.text());
        }
        return r.json();
    }

    /** The Smartschool account with this internal number as the platforms list it now, or null. */
    protected JsonNode smartschoolPupil(String internalNumber) {
        for (JsonNode p : smartschoolPupils()) {
            if (p.path("internalNumber").asText().equals(internalNumber)) {
                return p;
            }
        }
        return null;
    }

    /** Every enrolment (period) of a person in Informat's partner students list, in the list's order. */
    protected java.util.List<JsonNode> enrolmentsOf(String personId) {
        java.util.List<JsonNode> out = new java.util.ArrayList<>();
        for (JsonNode s : http.get("/sim/informat/partner/v1/students?schoolYear=2026-27").json()) {
            if (s.path("personId").asText().equals(personId)) {
                out.add(s);
            }
        }
        return out;
    }
}
