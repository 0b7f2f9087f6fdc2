package be.absencebridge.bridge;

import be.absencebridge.bridge.AbsenceRecord.SourceSystem;
import be.absencebridge.domain.HalfDay;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * An outbound intent, as stored in the outbox: what the decision wants written in the target package.
 *
 * @param officialCode     null: clear the half-day
 * @param text             motivation or remark (free text: stays in the database, never in logs)
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
        OffsetDateTime registeredAt) {

    public String direction() {
        return target == SourceSystem.INFORMAT ? "smartschool-to-informat" : "informat-to-smartschool";
    }

    public String key() {
        return institutionNumber + "/" + registrationNumber + " " + date + " " + part.name();
    }
}
