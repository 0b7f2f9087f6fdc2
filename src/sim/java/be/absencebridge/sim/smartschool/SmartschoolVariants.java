package be.absencebridge.sim.smartschool;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The readings of Smartschool's SOAP answers that the public sources disagree on (CONTRACTS.md, "Where the public sources
 * disagree, accept every reading"), one set per platform, switched by {@code POST /sim/smartschool/admin/variants} and
 * back to {@link #DEFAULT} by every seed. All false is the reading the simulator answered before the switches existed.
 *
 * @param classDataAsArray  {@code getSchoolyearDataOfClass} answers an array of class records (AbrantoLabs/smartschool-kit
 *                          {@code src/types.ts}) instead of one object (the kit's {@code src/mod.ts} example)
 * @param basisrolAsInteger {@code basisrol} in the account reads is the integer {@code 1} for a pupil (kit {@code types.ts},
 *                          note on {@code SaveUser}) instead of {@code "leerling"} (the kit's user-details example)
 * @param emptyDayAsArray   a by-date register read of a day with nothing registered is {@code []} (PHP's
 *                          {@code json_encode} of an empty array) instead of {@code {}} (model: no source shows either)
 * @param aliasAsLabel      {@code alias} in the alias reads is {@code null} without an alias (kit {@code types.ts},
 *                          {@code getAbsentsWithAlias}) and the alias's label with one, instead of the code / the alias's name
 * @param profileMethods    the methods the link's access code opens when the platform gave the link a profile with
 *                          restricted access (martymcvry/smartschool-api {@code docs/smartschool-manual.html}, "Profielen
 *                          met beperkte toegang": a profile's own password opens only the methods chosen for it); null:
 *                          the global password, every method
 */
public record SmartschoolVariants(boolean classDataAsArray, boolean basisrolAsInteger, boolean emptyDayAsArray,
                                  boolean aliasAsLabel, Set<String> profileMethods) {

    public static final SmartschoolVariants DEFAULT = new SmartschoolVariants(false, false, false, false, null);

    public SmartschoolVariants {
        profileMethods = profileMethods == null ? null : Set.copyOf(profileMethods);
    }

    /** Whether the link's access code opens the method (always with the global password). */
    public boolean allows(String method) {
        return profileMethods == null || profileMethods.contains(method);
    }

    /** The switches as the control answers them, with the platform's name. */
    public Map<String, Object> view(String platform) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("platform", platform);
        m.put("classDataAsArray", classDataAsArray);
        m.put("basisrolAsInteger", basisrolAsInteger);
        m.put("emptyDayAsArray", emptyDayAsArray);
        m.put("aliasAsLabel", aliasAsLabel);
        m.put("profileMethods", profileMethods == null ? null : profileMethods.stream().sorted().toList());
        return m;
    }
}
