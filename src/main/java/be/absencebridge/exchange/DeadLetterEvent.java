package be.absencebridge.exchange;

import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dead letter recorded, as the product publishes it for the integration team's routes ({@link Handoff#DEAD_LETTERS},
 * docs/extending.md): which record waits for a person and why, without a name or any free text. The pupil is its
 * institution and registration number, as in the audit and the metrics.
 *
 * @param deadLetterId       the dead letter's id in the admin API ({@code /api/admin/dead-letters}, its replay)
 * @param stage              where the record stopped: {@code RECEIVE}, {@code GATE}, {@code TRANSLATE}, {@code DELIVER}
 * @param direction          {@code smartschool-to-informat} or {@code informat-to-smartschool}
 * @param institutionNumber  null when an unreadable item did not show it (stage RECEIVE)
 * @param registrationNumber null likewise
 * @param date               null likewise
 * @param part               {@code AM} or {@code PM}; null likewise
 * @param reason             the reason in the bridge's own words only: a vendor's own text (Informat's error reason,
 *                           Smartschool's rejection reason, an exception's message) is left out, its code kept
 * @param platform           the Smartschool platform, when known (a push or delivery of that platform); else null
 */
public record DeadLetterEvent(long deadLetterId, String stage, String direction, String institutionNumber,
                              String registrationNumber, LocalDate date, String part, String reason, String platform) {

    /**
     * The event as routes read it ({@code ${body[registrationNumber]}}) and marshal it to JSON: these fields in this
     * order, a field without a value left out, the date as {@code 2026-11-17}.
     */
    public Map<String, Object> fields() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deadLetterId", deadLetterId);
        put(out, "stage", stage);
        put(out, "direction", direction);
        put(out, "institutionNumber", institutionNumber);
        put(out, "registrationNumber", registrationNumber);
        put(out, "date", date == null ? null : date.toString());
        put(out, "part", part);
        put(out, "reason", reason);
        put(out, "platform", platform == null || platform.isEmpty() ? null : platform);
        return Collections.unmodifiableMap(out);
    }

    private static void put(Map<String, Object> out, String key, String value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
