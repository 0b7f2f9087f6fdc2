package be.absencebridge.exchange.translate;

import be.absencebridge.domain.AbsenceCodes;
import be.absencebridge.domain.AbsenceRecord;
import be.absencebridge.domain.Decision;
import be.absencebridge.domain.SourceSystem;
import be.absencebridge.exchange.ExchangeProperties;
import be.absencebridge.exchange.gate.Gate;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.io.IOException;

/**
 * Step 4: the code in the other package's terms. Aliases and subcodes go through the school's table; a
 * code without a mapping falls back to its official main code (rule 8). A code that maps to nothing
 * (an unknown subcode, a code without an official equivalent, a mapped alias or subcode the other side
 * does not define) is never guessed: the record stops as {@code UNMAPPED} with its reason, and is parked.
 */
@Component("translator")
public class Translator {

    /**
     * @param officialCode     the official code (null: cleared), the value the decision compares
     * @param informatCode     what to write in Informat: a subcode, or the official code
     * @param smartschoolAlias the alias to write in Smartschool, or null
     */
    public record Translation(String officialCode, String informatCode, String smartschoolAlias) {

        static final Translation CLEARED = new Translation(null, null, null);
    }

    private final CodeMappings mappings;
    private final CodeLists codes;

    public Translator(CodeMappings mappings, CodeLists codes) {
        this.mappings = mappings;
        this.codes = codes;
    }

    /** Translates the record in the body into {@code bridgeTranslation}, or stops it as {@code UNMAPPED}. */
    public void translate(Exchange exchange) throws IOException {
        AbsenceRecord r = exchange.getMessage().getBody(AbsenceRecord.class);
        try {
            exchange.setProperty(ExchangeProperties.TRANSLATION, translate(r));
        } catch (UnmappedException e) {
            Gate.stop(exchange, Decision.UNMAPPED, e.getMessage());
        }
    }

    /** The record in the other package's terms; {@link UnmappedException} when it maps to nothing. */
    public Translation translate(AbsenceRecord r) throws IOException {
        return r.source() == SourceSystem.SMARTSCHOOL ? fromSmartschool(r) : fromInformat(r);
    }

    private Translation fromSmartschool(AbsenceRecord r) throws IOException {
        if (r.cleared()) {
            return Translation.CLEARED;
        }
        String official = AbsenceCodes.officialOf(r.code()).orElseThrow(() -> new UnmappedException("code " + r.code() + " has no official code"));
        if (r.alias() == null) {
            return new Translation(official, official, null);
        }
        String subcode = mappings.subcodeOf(r.institutionNumber(), r.alias());
        if (subcode == null) {
            return new Translation(official, official, r.alias());
        }
        Integer branch = codes.informatBranchOf(r.institutionNumber(), r.registrationNumber());
        String main = branch == null ? null : codes.informatMainCode(branch, subcode);
        if (main == null) {
            throw new UnmappedException("alias " + r.alias() + " maps to subcode " + subcode
                    + ", which branch " + branch + " does not define");
        }
        if (!AbsenceCodes.officialOf(main).map(official::equals).orElse(false)) {
            throw new UnmappedException("alias " + r.alias() + " (" + official + ") maps to subcode " + subcode
                    + " of another main code (" + main + ")");
        }
        return new Translation(official, subcode, r.alias());
    }

    private Translation fromInformat(AbsenceRecord r) throws IOException {
        if (r.cleared()) {
            return Translation.CLEARED;
        }
        String main = codes.informatMainCode(r.locationIdDiscimus(), r.code());
        if (main == null) {
            throw new UnmappedException("code " + r.code() + " is neither a main code nor a subcode of branch " + r.locationIdDiscimus());
        }
        String official = AbsenceCodes.officialOf(main)
                .orElseThrow(() -> new UnmappedException("Informat code " + main + " has no official code for Smartschool"));
        String alias = main.equals(r.code()) ? null : mappings.aliasOf(r.institutionNumber(), r.code());
        if (alias != null && !codes.isSmartschoolAlias(alias)) {
            throw new UnmappedException("subcode " + r.code() + " maps to alias " + alias + ", which Smartschool does not define");
        }
        return new Translation(official, r.code(), alias);
    }

    /** A code that maps to nothing in the other package; the message is the reason the record is parked with. */
    public static final class UnmappedException extends RuntimeException {
        public UnmappedException(String message) {
            super(message);
        }
    }
}
