package be.absencebridge.sim.control;

import be.absencebridge.sim.Population;
import be.absencebridge.sim.PopulationGenerator;
import be.absencebridge.sim.SeedRequest;

import be.absencebridge.sim.informat.InformatSimulator;
import be.absencebridge.sim.informat.TokenStore;
import be.absencebridge.sim.smartschool.SmartschoolPlatforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Both simulators of one process and the population they share: one seed call seeds both. */
public final class SimulatedWorld {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedWorld.class);

    private final SmartschoolPlatforms smartschool;
    private final InformatSimulator informat;
    private final TokenStore tokens;
    private volatile Population population;

    public SimulatedWorld(SmartschoolPlatforms smartschool, InformatSimulator informat, TokenStore tokens) {
        this.smartschool = smartschool;
        this.informat = informat;
        this.tokens = tokens;
    }

    public synchronized Population seed(SeedRequest request) {
        long start = System.nanoTime();
        Population p = PopulationGenerator.generate(request);
        this.population = p;
        smartschool.reset(p);
        informat.reset(p);
        tokens.clear();
        LOG.info("simulators seeded: {} Smartschool platforms, {} institutions, {} branches, {} pupils, school year {} ({} ms)",
                smartschool.all().size(), p.institutions().size(), p.branches().size(), p.pupils().size(), p.schoolYear(),
                (System.nanoTime() - start) / 1_000_000);
        return p;
    }

    public Population population() {
        return population;
    }

    public SmartschoolPlatforms smartschool() {
        return smartschool;
    }

    public InformatSimulator informat() {
        return informat;
    }
}
