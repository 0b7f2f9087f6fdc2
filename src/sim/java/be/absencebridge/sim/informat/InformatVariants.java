package be.absencebridge.sim.informat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The readings of Informat's public answers that the public sources disagree on, switched by
 * {@code POST /sim/informat/admin/variants} and back to {@link #DEFAULT} by every seed. All false is CONTRACTS.md's
 * reading.
 *
 * @param tokenWithoutScope reported for the tools that post it; it changes nothing: the identity server accepts a
 *                          client-credentials request without {@code scope} in every reading (CONTRACTS.md: "A production
 *                          client asks without scope: accept it", ictolvpbe/MySchool_addons
 *                          {@code myschool_core/models/informat_service.py}), the token then covering every institute
 *                          of the population. No public source shows the identity server refusing it, so there is no
 *                          second reading to switch to (model choice).
 * @param problemJson       the Student API's error bodies as {@code application/problem+json} with Spring's problem
 *                          fields (the simulator's earlier shape), instead of the vendor document's {@code application/json}
 *                          with an RFC 7231 {@code type}, ASP.NET's titles and a {@code traceId}
 */
public record InformatVariants(boolean tokenWithoutScope, boolean problemJson) {

    public static final InformatVariants DEFAULT = new InformatVariants(false, false);

    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokenWithoutScope", tokenWithoutScope);
        m.put("problemJson", problemJson);
        return m;
    }
}
