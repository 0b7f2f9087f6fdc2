package be.absencebridge.domain;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * The canonical record both directions share: one registration of one half-day of one pupil, identified
 * across the systems by institution number and registration number (stamnummer).
 *
 * @param code               the code as the source wrote it: a Smartschool (official or older) code, or an
 *                           Informat main code or subcode; null when the half-day was cleared
 * @param alias              Smartschool's alias, null when none (and always for Informat)
 * @param text               Smartschool's motivation or Informat's remark: free text, never logged
 * @param locationIdDiscimus the Informat branch (Informat events only)
 * @param internalNumber     Smartschool's pupil number (Smartschool events only)
 * @param observation        non-null for a record seen only by a register read that shows no registration time
 *                           (Smartschool's SOAP read): the change happened after {@code registeredAt} (the previous
 *                           read), and the observation says when the read began
 * @param platform           the Smartschool platform that sent or showed it (Smartschool events only; null in events
 *                           stored before platforms, and for Informat)
 */
public record AbsenceRecord(
        SourceSystem source,
        String sourceEventId,
        String institutionNumber,
        String registrationNumber,
        LocalDate date,
        HalfDay part,
        String code,
        String alias,
        String text,
        OffsetDateTime registeredAt,
        String registeredBy,
        Integer locationIdDiscimus,
        String internalNumber,
        Observation observation,
        String platform) {

    /** A record without the platform it came from (Informat's; Smartschool's stored before platforms). */
    public AbsenceRecord(SourceSystem source, String sourceEventId, String institutionNumber, String registrationNumber,
                         LocalDate date, HalfDay part, String code, String alias, String text, OffsetDateTime registeredAt,
                         String registeredBy, Integer locationIdDiscimus, String internalNumber, Observation observation) {
        this(source, sourceEventId, institutionNumber, registrationNumber, date, part, code, alias, text, registeredAt,
                registeredBy, locationIdDiscimus, internalNumber, observation, null);
    }

    /** A registration read with its registration time (a push, Informat's change feed). */
    public AbsenceRecord(SourceSystem source, String sourceEventId, String institutionNumber, String registrationNumber,
                         LocalDate date, HalfDay part, String code, String alias, String text, OffsetDateTime registeredAt,
                         String registeredBy, Integer locationIdDiscimus, String internalNumber) {
        this(source, sourceEventId, institutionNumber, registrationNumber, date, part, code, alias, text, registeredAt,
                registeredBy, locationIdDiscimus, internalNumber, null, null);
    }

    /** Seen only by a register read without registration times. */
    public boolean observed() {
        return observation != null;
    }

    /** The same record registered at another moment (a register read's change dated once its decision knows more). */
    public AbsenceRecord registeredAt(OffsetDateTime at) {
        return new AbsenceRecord(source, sourceEventId, institutionNumber, registrationNumber, date, part, code, alias, text,
                at, registeredBy, locationIdDiscimus, internalNumber, observation, platform);
    }

    public boolean cleared() {
        return code == null;
    }

    public Direction direction() {
        return source.outbound();
    }

    /**
     * The record without its free text and without who registered it (a teacher's name): whatever prints a record (a
     * log line, an exception, Camel's message of a predicate that did not match) prints no personal text. Written out
     * rather than the record's own, which formats with {@code String.format} (Java 17) and ran for every record the
     * exchange's {@code ${body} == null} filter let through (the benchmark's profile).
     */
    @Override
    public String toString() {
        return new StringBuilder(160).append("AbsenceRecord[").append(source).append(' ').append(sourceEventId).append(' ')
                .append(institutionNumber).append('/').append(registrationNumber).append(' ').append(date).append(' ').append(part)
                .append(" code=").append(code).append(" alias=").append(alias).append(" registeredAt=")
                .append(registeredAt).append(" platform=").append(platform).append(observation == null ? "" : " observed")
                .append(']').toString();
    }

    /** Pupil and half-day without personal data, for logs: institution/registration number, date, part. */
    public String key() {
        return institutionNumber + "/" + registrationNumber + " " + date + " " + part.name();
    }
}
