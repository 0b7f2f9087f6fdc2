package be.absencebridge.bridge;

import be.absencebridge.domain.HalfDay;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * The canonical record both directions share: one registration of one half-day of one pupil, identified
 * across the systems by institution number and registration number (stamnummer).
 *
 * @param officialCode  the official (or older internal) main code; null when the half-day was cleared
 * @param sourceCode    the code as the source wrote it: a Smartschool alias or an Informat subcode, else the main code
 * @param text          Smartschool's motivation or Informat's remark (free text: never logged)
 */
public record AbsenceRecord(
        SourceSystem sourceSystem,
        String sourceEventId,
        String institutionNumber,
        String registrationNumber,
        LocalDate date,
        HalfDay part,
        String officialCode,
        String sourceCode,
        String text,
        OffsetDateTime registeredAt,
        String registeredBy) {

    public enum SourceSystem { SMARTSCHOOL, INFORMAT }

    public boolean cleared() {
        return officialCode == null;
    }

    /** Pupil and half-day without personal data, for logs: institution, registration number, date, part. */
    public String key() {
        return institutionNumber + "/" + registrationNumber + " " + date + " " + part.name();
    }
}
