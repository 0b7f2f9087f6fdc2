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
 * @param observed           seen only by a poller that reads no registration time (Smartschool's register read): the
 *                           change happened between two reads, {@code registeredAt} is the earlier one
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
        boolean observed) {

    /** A registration read with its registration time (a push, Informat's change feed). */
    public AbsenceRecord(SourceSystem source, String sourceEventId, String institutionNumber, String registrationNumber,
                         LocalDate date, HalfDay part, String code, String alias, String text, OffsetDateTime registeredAt,
                         String registeredBy, Integer locationIdDiscimus, String internalNumber) {
        this(source, sourceEventId, institutionNumber, registrationNumber, date, part, code, alias, text, registeredAt,
                registeredBy, locationIdDiscimus, internalNumber, false);
    }

    public boolean cleared() {
        return code == null;
    }

    public Direction direction() {
        return source.outbound();
    }

    /** Pupil and half-day without personal data, for logs: institution/registration number, date, part. */
    public String key() {
        return institutionNumber + "/" + registrationNumber + " " + date + " " + part.name();
    }
}
