package be.absencebridge.sim.smartschool;

import be.absencebridge.sim.Faults;
import be.absencebridge.sim.Population;
import be.absencebridge.sim.Pusher;
import be.absencebridge.sim.SimValidationException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * The Smartschool platforms of a school board, one per school ({@code https://<name>.smartschool.be}), each with its own
 * register, settings, access code, faults and pushes. The seed names them {@code school1}, {@code school2}, ... and
 * spreads the institutions over them in turn.
 */
public final class SmartschoolPlatforms {

    private final Clock clock;
    private final String linkAccount;
    /** A platform's pusher, from its name and its faults. */
    private final BiFunction<String, Faults, Pusher> pushers;
    private final Map<String, Faults> faults = new ConcurrentHashMap<>();
    private volatile Map<String, SmartschoolSimulator> platforms = Map.of();

    public SmartschoolPlatforms(Clock clock, String linkAccount, BiFunction<String, Faults, Pusher> pushers) {
        this.clock = clock;
        this.linkAccount = linkAccount;
        this.pushers = pushers;
    }

    public static String name(int index) {
        return "school" + (index + 1);
    }

    /** New platforms for the population: its institutions spread over {@code smartschoolPlatforms} platforms. */
    public synchronized void reset(Population population) {
        int count = population.request().smartschoolPlatforms() == null ? 1 : population.request().smartschoolPlatforms();
        Map<String, Set<String>> institutions = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            institutions.put(name(i), new LinkedHashSet<>());
        }
        List<String> all = population.institutions();
        for (int i = 0; i < all.size(); i++) {
            institutions.get(name(i % count)).add(all.get(i));
        }
        Map<String, SmartschoolSimulator> next = new LinkedHashMap<>();
        institutions.forEach((name, insts) -> {
            SmartschoolSimulator sim = platforms.get(name);
            if (sim == null) {
                sim = new SmartschoolSimulator(name, clock, linkAccount, pushers.apply(name, faults(name)));
            }
            sim.reset(population.only(insts));
            next.put(name, sim);
        });
        platforms = next;
    }

    public Collection<SmartschoolSimulator> all() {
        return platforms.values();
    }

    /** A platform by name, or null. */
    public SmartschoolSimulator get(String name) {
        return name == null ? null : platforms.get(name);
    }

    /** A platform by name: 404 when there is none by that name. */
    public SmartschoolSimulator require(String name) {
        SmartschoolSimulator sim = get(name);
        if (sim == null) {
            throw new SimValidationException(404, null, "no Smartschool platform " + name);
        }
        return sim;
    }

    /** The faults of a platform (kept across seeds, as the other simulator's). */
    public Faults faults(String name) {
        return faults.computeIfAbsent(name, n -> new Faults());
    }

    /** Sets the faults of one platform, or of every platform when {@code platform} is null. */
    public void setFaults(String platform, Faults.Settings settings) {
        if (platform != null) {
            require(platform);
            faults(platform).set(settings);
            return;
        }
        for (String name : platforms.keySet()) {
            faults(name).set(settings);
        }
    }

    /**
     * The platform a control names, or the one holding the pupil: {@code platform} may be left out when the pupil's
     * internal number or username tells (the seed's internal numbers are unique across platforms).
     */
    public SmartschoolSimulator of(String platform, String internalNumber, String username) {
        if (platform != null && !platform.isBlank()) {
            return require(platform);
        }
        for (SmartschoolSimulator sim : platforms.values()) {
            if ((internalNumber != null && sim.population().byInternalNumber(internalNumber) != null)
                    || (username != null && sim.byUsername(username) != null)) {
                return sim;
            }
        }
        if (platforms.size() == 1) {
            return platforms.values().iterator().next();
        }
        throw new SimValidationException(404, null, "unknown pupil");
    }

    /** The platform that holds an institution, or null. */
    public SmartschoolSimulator holding(String institutionNumber) {
        for (SmartschoolSimulator sim : platforms.values()) {
            if (sim.institutions().contains(institutionNumber)) {
                return sim;
            }
        }
        return null;
    }

    public List<String> names() {
        return new ArrayList<>(platforms.keySet());
    }
}
