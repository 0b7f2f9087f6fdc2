package be.absencebridge.exchange.translate;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The school board's table of Smartschool aliases and Informat subcodes (DOMAIN.md rule 8), from
 * {@code config/mappings.yaml}: per institution number, with {@code default} for institutions without a
 * list of their own.
 */
@Component
@ConfigurationProperties(prefix = "bridge")
public class CodeMappings {

    /**
     * A pair of an alias and a subcode (either may be left out), or a plain {@code code}; {@code means} what it stands for
     * where the rules need to know (DOMAIN.md: {@code parents-note}, {@code medical-certificate}), for the rule warnings.
     */
    public static class Pair {
        private String alias;
        private String subcode;
        private String code;
        private String means;

        public String getCode() {
            return code;
        }

        public void setCode(String code) {
            this.code = code;
        }

        public String getMeans() {
            return means;
        }

        public void setMeans(String means) {
            this.means = means;
        }

        public String getAlias() {
            return alias;
        }

        public void setAlias(String alias) {
            this.alias = alias;
        }

        public String getSubcode() {
            return subcode;
        }

        public void setSubcode(String subcode) {
            this.subcode = subcode;
        }
    }

    private Map<String, List<Pair>> codeMappings = new HashMap<>();

    public Map<String, List<Pair>> getCodeMappings() {
        return codeMappings;
    }

    public void setCodeMappings(Map<String, List<Pair>> codeMappings) {
        this.codeMappings = codeMappings;
    }

    private List<Pair> of(String institution) {
        List<Pair> own = codeMappings.get(institution);
        return own != null ? own : codeMappings.getOrDefault("default", List.of());
    }

    /** The Informat subcode an alias maps to in this institution, or null. */
    public String subcodeOf(String institution, String alias) {
        for (Pair p : of(institution)) {
            if (p.getAlias() != null && p.getAlias().equals(alias)) {
                return p.getSubcode();
            }
        }
        return null;
    }

    /** The Smartschool alias a subcode maps to in this institution, or null. */
    public String aliasOf(String institution, String subcode) {
        for (Pair p : of(institution)) {
            if (p.getSubcode() != null && p.getSubcode().equals(subcode)) {
                return p.getAlias();
            }
        }
        return null;
    }

    /**
     * What a registration's own code stands for in this institution ({@code means} of the pair whose alias, subcode or
     * plain code it is), or null.
     */
    public String means(String institution, String sourceCode) {
        if (sourceCode == null) {
            return null;
        }
        for (Pair p : of(institution)) {
            if (p.getMeans() != null && (sourceCode.equals(p.getAlias()) || sourceCode.equals(p.getSubcode()) || sourceCode.equals(p.getCode()))) {
                return p.getMeans();
            }
        }
        return null;
    }
}
