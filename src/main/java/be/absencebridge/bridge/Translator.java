package be.absencebridge.bridge;

import be.absencebridge.bridge.AbsenceRecord.SourceSystem;
import be.absencebridge.domain.AbsenceCodes;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.io.IOException;

/**
 * Step 4: the code in the other package's terms. Aliases and subcodes go through the school's table; a
 * code without a mapping falls back to its official main code (rule 8). A code that maps to nothing
 * (an unknown subcode, a code without an official equivalent, a mapped alias or subcode the other side
 * does not define) is never guessed: the record is parked with its reason.
 */
@Component("translator")
public class Translator {

    public static final String TRANSLATION = "bridgeTranslation";

    /**
     * @param officialCode     the official code (null: cleared), the value the decision compares
     * @param informatCode     what to write in Informat: a subcode, or the official code
     * @param smartschoolAlias the alias to write in Smartschool, or null
     */
    public record Translation(String officialCode, String informatCode, String smartschoolAlias) {
    }

    private final CodeMappings mappings;
    private final InformatDirectory informat;
    private final LinkSettings links;

    public Translator(CodeMappings mappings, InformatDirectory informat, LinkSettings links) {
        this.mappings = mappings;
        this.informat = informat;
        this.links = links;
    }

    public void translate(Exchange exchange) throws IOException {
        AbsenceRecord r = exchange.getMessage().getBody(AbsenceRecord.class);
        try {
            exchange.setProperty(TRANSLATION, translate(r));
        } catch (UnmappedException e) {
            exchange.setProperty(Gate.VERDICT, "UNMAPPED");
            exchange.setProperty(Gate.REASON, e.getMessage());
        }
    }

    /** The record in the other package's terms; {@link UnmappedException} when it maps to nothing. */
    public Translation translate(AbsenceRecord r) throws IOException {
        return r.source() == SourceSystem.SMARTSCHOOL ? fromSmartschool(r) : fromInformat(r);
    }

    private Translation fromSmartschool(AbsenceRecord r) throws IOException {
        if (r.cleared()) {
            return new Translation(null, null, null);
        }
        String official = AbsenceCodes.officialOf(r.code()).orElseThrow(() -> new UnmappedException("code " + r.code() + " has no official code"));
        if (r.alias() == null) {
            return new Translation(official, official, null);
        }
        String subcode = mappings.subcodeOf(r.institutionNumber(), r.alias());
        if (subcode == null) {
            return new Translation(official, official, r.alias());
        }
        InformatDirectory.Student s = informat.student(r.institutionNumber(), r.registrationNumber());
        String main = informat.mainCode(s.locationIdDiscimus(), subcode);
        if (main == null) {
            throw new UnmappedException("alias " + r.alias() + " maps to subcode " + subcode
                    + ", which branch " + s.locationIdDiscimus() + " does not define");
        }
        if (!AbsenceCodes.officialOf(main).map(official::equals).orElse(false)) {
            throw new UnmappedException("alias " + r.alias() + " (" + official + ") maps to subcode " + subcode
                    + " of another main code (" + main + ")");
        }
        return new Translation(official, subcode, r.alias());
    }

    private Translation fromInformat(AbsenceRecord r) throws IOException {
        if (r.cleared()) {
            return new Translation(null, null, null);
        }
        String main = informat.mainCode(r.locationIdDiscimus(), r.code());
        if (main == null) {
            throw new UnmappedException("code " + r.code() + " is neither a main code nor a subcode of branch " + r.locationIdDiscimus());
        }
        String official = AbsenceCodes.officialOf(main)
                .orElseThrow(() -> new UnmappedException("Informat code " + main + " has no official code for Smartschool"));
        String alias = main.equals(r.code()) ? null : mappings.aliasOf(r.institutionNumber(), r.code());
        if (alias != null && !links.current().aliases().contains(alias)) {
            throw new UnmappedException("subcode " + r.code() + " maps to alias " + alias + ", which Smartschool does not define");
        }
        return new Translation(official, r.code(), alias);
    }

    public static final class UnmappedException extends RuntimeException {
        public UnmappedException(String message) {
            super(message);
        }
    }
}
