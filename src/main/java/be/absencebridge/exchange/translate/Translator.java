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
 * Step 4: the code in the other package's terms. A code both packages know goes as itself; an older code the target
 * does not know goes as its official code; aliases and subcodes go through the school's table, and without a mapping
 * fall back to their main code (rule 8). A code that maps to nothing (an unknown subcode, a code without an official
 * meaning the other package does not know, a mapped alias or subcode the other side does not define) is never
 * guessed: the record stops as {@code UNMAPPED} with its reason, and is parked.
 */
@Component("translator")
public class Translator {

    /**
     * @param officialCode     what the decision compares: the official code, or a code both packages know that has none
     *                         ({@code L}); null: cleared
     * @param informatCode     what to write in Informat: a subcode, or a main code Informat knows
     * @param smartschoolCode  what to write in Smartschool: a code Smartschool knows
     * @param smartschoolAlias the alias to write in Smartschool, or null
     */
    public record Translation(String officialCode, String informatCode, String smartschoolCode, String smartschoolAlias) {

        static final Translation CLEARED = new Translation(null, null, null, null);
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
        String meaning = AbsenceCodes.meaning(r.code()).orElseThrow(() ->
                new UnmappedException("code " + r.code() + " has no official code and Informat does not know it"));
        String informat = AbsenceCodes.forInformat(r.code()).orElseThrow();
        if (r.alias() == null) {
            return new Translation(meaning, informat, r.code(), null);
        }
        String subcode = mappings.subcodeOf(r.institutionNumber(), r.alias());
        if (subcode == null) {
            return new Translation(meaning, informat, r.code(), r.alias());
        }
        Integer branch = codes.informatBranchOf(r.institutionNumber(), r.registrationNumber(), r.date());
        String main = branch == null ? null : codes.informatMainCode(branch, subcode);
        if (main == null) {
            throw new UnmappedException("alias " + r.alias() + " maps to subcode " + subcode
                    + ", which branch " + branch + " does not define");
        }
        if (!AbsenceCodes.meaning(main).map(meaning::equals).orElse(false)) {
            throw new UnmappedException("alias " + r.alias() + " (" + meaning + ") maps to subcode " + subcode
                    + " of another main code (" + main + ")");
        }
        return new Translation(meaning, subcode, r.code(), r.alias());
    }

    private Translation fromInformat(AbsenceRecord r) throws IOException {
        if (r.cleared()) {
            return Translation.CLEARED;
        }
        String main = codes.informatMainCode(r.locationIdDiscimus(), r.code());
        if (main == null) {
            throw new UnmappedException("code " + r.code() + " is neither a main code nor a subcode of branch " + r.locationIdDiscimus());
        }
        String meaning = AbsenceCodes.meaning(main).orElseThrow(() ->
                new UnmappedException("Informat code " + main + " has no official code and Smartschool does not know it"));
        String smartschool = AbsenceCodes.forSmartschool(main).orElseThrow();
        String alias = main.equals(r.code()) ? null : mappings.aliasOf(r.institutionNumber(), r.code());
        if (alias != null && !codes.isSmartschoolAlias(r.institutionNumber(), alias)) {
            throw new UnmappedException("subcode " + r.code() + " maps to alias " + alias + ", which Smartschool does not define");
        }
        return new Translation(meaning, r.code(), smartschool, alias);
    }

    /** A code that maps to nothing in the other package; the message is the reason the record is parked with. */
    public static final class UnmappedException extends RuntimeException {
        public UnmappedException(String message) {
            super(message);
        }
    }
}
