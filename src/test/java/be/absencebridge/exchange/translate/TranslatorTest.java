package be.absencebridge.exchange.translate;

import be.absencebridge.domain.AbsenceRecord;
import be.absencebridge.domain.HalfDay;
import be.absencebridge.domain.SourceSystem;
import be.absencebridge.exchange.translate.Translator.Translation;
import be.absencebridge.exchange.translate.Translator.UnmappedException;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rule 8 on its own: the school's table, the fallback to the official main code, and what is never guessed. */
class TranslatorTest {

    private static final int BRANCH = 12345;

    /** The code lists of one Informat branch (subcode R03 of R, Z01 of Z) and Smartschool's aliases ZM, RB. */
    private static final CodeLists CODES = new CodeLists() {
        private final Map<String, String> subcodes = Map.of("R03", "R", "Z01", "Z");

        @Override
        public String informatMainCode(int branch, String code) {
            if (branch != BRANCH) {
                return null;
            }
            return Set.of("|", "A", "R", "Z", "H", "P", "M", "B", "D", "L", "-", "W").contains(code) ? code : subcodes.get(code);
        }

        @Override
        public Integer informatBranchOf(String institution, String registration, java.time.LocalDate date) {
            return "1001".equals(registration) ? BRANCH : null;
        }

        @Override
        public boolean isSmartschoolAlias(String institutionNumber, String alias) {
            return Set.of("ZM", "RB").contains(alias);
        }
    };

    private static Translator translator() {
        CodeMappings mappings = new CodeMappings();
        mappings.setCodeMappings(Map.of("default", List.of(pair("ZM", "Z01"), pair("XX", "R03"), pair("YY", "Q99"))));
        return new Translator(mappings, CODES);
    }

    private static CodeMappings.Pair pair(String alias, String subcode) {
        CodeMappings.Pair p = new CodeMappings.Pair();
        p.setAlias(alias);
        p.setSubcode(subcode);
        return p;
    }

    private static AbsenceRecord smartschool(String code, String alias) {
        return new AbsenceRecord(SourceSystem.SMARTSCHOOL, "e", "123456", "1001", LocalDate.parse("2026-10-15"), HalfDay.AM,
                code, alias, null, OffsetDateTime.parse("2026-10-15T09:00:00+02:00"), "leerkracht", null, "7");
    }

    private static AbsenceRecord informat(String code) {
        return new AbsenceRecord(SourceSystem.INFORMAT, "e", "123456", "1001", LocalDate.parse("2026-10-15"), HalfDay.AM,
                code, null, null, OffsetDateTime.parse("2026-10-15T09:00:00+02:00"), "secretariaat", BRANCH, null);
    }

    @Test
    void anOfficialCodeIsItselfOnBothSides() throws Exception {
        assertThat(translator().translate(smartschool("Z", null))).isEqualTo(new Translation("Z", "Z", "Z", null));
        assertThat(translator().translate(informat("B"))).isEqualTo(new Translation("B", "B", "B", null));
    }

    @Test
    void aCodeBothPackagesKnowGoesAsItselfAndIsComparedByItsOfficialCode() throws Exception {
        // the doctor's certificate: both packages kept D, which Discimus counts as Z
        assertThat(translator().translate(smartschool("D", null))).isEqualTo(new Translation("Z", "D", "D", null));
        assertThat(translator().translate(informat("D"))).isEqualTo(new Translation("Z", "D", "D", null));
        // late, unknown, present at a work placement: no official code, but both packages know them
        assertThat(translator().translate(informat("L"))).isEqualTo(new Translation("L", "L", "L", null));
        assertThat(translator().translate(smartschool("-", null))).isEqualTo(new Translation("-", "-", "-", null));
        assertThat(translator().translate(smartschool("W", null))).isEqualTo(new Translation("W", "W", "W", null));
    }

    @Test
    void aMappedAliasBecomesItsSubcodeAndBack() throws Exception {
        assertThat(translator().translate(smartschool("Z", "ZM"))).isEqualTo(new Translation("Z", "Z01", "Z", "ZM"));
        assertThat(translator().translate(informat("Z01"))).isEqualTo(new Translation("Z", "Z01", "Z", "ZM"));
    }

    @Test
    void anUnmappedAliasOrSubcodeFallsBackToItsOfficialMainCode() throws Exception {
        assertThat(translator().translate(smartschool("R", "RB"))).isEqualTo(new Translation("R", "R", "R", "RB"));
        CodeMappings none = new CodeMappings();
        assertThat(new Translator(none, CODES).translate(informat("R03"))).isEqualTo(new Translation("R", "R03", "R", null));
    }

    @Test
    void aClearTranslatesToAClear() throws Exception {
        assertThat(translator().translate(smartschool(null, null))).isEqualTo(new Translation(null, null, null, null));
        assertThat(translator().translate(informat(null))).isEqualTo(new Translation(null, null, null, null));
    }

    @Test
    void whatMapsToNothingIsNeverGuessed() {
        assertThatThrownBy(() -> translator().translate(informat("Q99"))).isInstanceOf(UnmappedException.class)
                .hasMessageContaining("neither a main code nor a subcode");
        // spread of the lesson programme: Smartschool's own, no official code, unknown to Informat
        assertThatThrownBy(() -> translator().translate(smartschool("G", null))).isInstanceOf(UnmappedException.class)
                .hasMessageContaining("no official code and Informat does not know it");
        assertThatThrownBy(() -> translator().translate(smartschool("Z", "YY"))).isInstanceOf(UnmappedException.class)
                .hasMessageContaining("does not define");
        assertThatThrownBy(() -> translator().translate(smartschool("Z", "XX"))).isInstanceOf(UnmappedException.class)
                .hasMessageContaining("another main code");
        // R03's alias in the table (XX, the first listed) is one Smartschool does not define
        assertThatThrownBy(() -> translator().translate(informat("R03"))).isInstanceOf(UnmappedException.class)
                .hasMessageContaining("which Smartschool does not define");
    }
}
