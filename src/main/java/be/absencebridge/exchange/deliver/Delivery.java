package be.absencebridge.exchange.deliver;

import be.absencebridge.domain.Direction;
import be.absencebridge.domain.HalfDay;
import be.absencebridge.domain.SourceSystem;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * An outbound intent, as stored in the outbox: what the decision wants written in the target package.
 *
 * @param officialCode     null: clear the half-day
 * @param text             motivation or remark (free text: stays in the database, never in logs)
 * @param smartschoolCode  the code Smartschool gets (a code it knows: {@code D} stays {@code D}); null in rows written
 *                         before it existed: the official code
 * @param backfillId       the backfill that decided it, null for live records
 */
public record Delivery(
        SourceSystem target,
        String correlationId,
        String institutionNumber,
        String registrationNumber,
        LocalDate date,
        HalfDay part,
        String officialCode,
        String informatCode,
        String smartschoolAlias,
        String text,
        OffsetDateTime registeredAt,
        String smartschoolCode,
        Long backfillId) {

    public Direction direction() {
        return target.inbound();
    }

    public String key() {
        return institutionNumber + "/" + registrationNumber + " " + date + " " + part.name();
    }

    /** What the write does, for logs: a clear, or the code the target gets. */
    public String action() {
        if (officialCode == null) {
            return "clear";
        }
        if (target == SourceSystem.INFORMAT) {
            return "code " + (informatCode != null ? informatCode : officialCode);
        }
        return "code " + (smartschoolAlias != null ? smartschoolAlias : smartschoolCode());
    }

    /** What Smartschool gets for a code (not a clear). */
    public String smartschoolCode() {
        return smartschoolCode != null ? smartschoolCode : officialCode;
    }
}
