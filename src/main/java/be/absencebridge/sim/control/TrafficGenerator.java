package be.absencebridge.sim.control;

import be.absencebridge.sim.Population;
import be.absencebridge.sim.SimValidationException;
import be.absencebridge.sim.Timestamps;

import be.absencebridge.domain.FlemishSchoolCalendar;
import be.absencebridge.domain.HalfDay;
import be.absencebridge.sim.Population.Pupil;
import be.absencebridge.sim.smartschool.SmartschoolSimulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulated teachers and secretaries: registrations at a set rate, spread over the population and both
 * systems, on the most recent instruction days, as on a school morning.
 */
public final class TrafficGenerator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrafficGenerator.class);
    private static final long TICK_MS = 20;
    private static final int RECENT_DAYS = 3;

    private final SimulatedWorld world;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sim-traffic");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> task;
    private volatile double eventsPerSecond;
    private double owed;
    private final AtomicLong registered = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public TrafficGenerator(SimulatedWorld world, Clock clock) {
        this.world = world;
        this.clock = clock;
    }

    public synchronized void setRate(double eventsPerSecond) {
        if (eventsPerSecond < 0 || eventsPerSecond > 100_000 || Double.isNaN(eventsPerSecond)) {
            throw new SimValidationException("eventsPerSecond must be between 0 and 100000");
        }
        this.eventsPerSecond = eventsPerSecond;
        if (eventsPerSecond > 0 && task == null) {
            owed = 0;
            task = scheduler.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        } else if (eventsPerSecond == 0 && task != null) {
            task.cancel(false);
            task = null;
        }
        LOG.info("simulated traffic set to {} registrations per second", eventsPerSecond);
    }

    public double rate() {
        return eventsPerSecond;
    }

    public long registered() {
        return registered.get();
    }

    public long refused() {
        return refused.get();
    }

    private void tick() {
        try {
            owed += eventsPerSecond * TICK_MS / 1000.0;
            int n = (int) owed;
            owed -= n;
            for (int i = 0; i < n; i++) {
                registerOne();
            }
        } catch (RuntimeException e) {
            LOG.warn("simulated traffic tick failed: {}", e.toString());
        }
    }

    /** One registration by a simulated person; returns false when it was refused (not enrolled, no lessons). */
    public boolean registerOne() {
        Population pop = world.population();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        FlemishSchoolCalendar cal = pop.calendar();
        List<LocalDate> days = cal.instructionDaysUpTo(Timestamps.today(clock), RECENT_DAYS);
        if (days.isEmpty()) {
            refused.incrementAndGet();
            return false;
        }
        LocalDate date = days.get(r.nextInt(days.size()));
        HalfDay part = cal.isInstruction(date, HalfDay.PM) && r.nextBoolean() ? HalfDay.PM : HalfDay.AM;
        Pupil pupil = pop.pupils().get(r.nextInt(pop.pupils().size()));
        if (!pupil.enrolledOn(date)) {
            refused.incrementAndGet();
            return false;
        }
        boolean kleuter = pupil.nonCompulsoryKindergarten(pop.schoolYear());
        String motivation = r.nextInt(5) == 0 ? "Briefje van de ouders ontvangen" : null;
        try {
            if (r.nextBoolean()) {
                String[] pick = kleuter
                        ? pick(r, new String[][] {{"|", null}, {"A", null}, {"Z", null}, {"Z", "ZM"}})
                        : pick(r, new String[][] {{"|", null}, {"|", null}, {"|", null}, {"Z", null}, {"Z", "ZM"},
                                {"R", null}, {"R", "RB"}, {"B", null}, {"P", null}, {"D", null}, {null, null}});
                world.smartschool().of(null, pupil.internalNumber(), null).registerByPerson(new SmartschoolSimulator.Registration(pupil.internalNumber(),
                        date.toString(), part.smartschool(), pick[0], pick[1], motivation, null, "leerkracht"));
            } else {
                String[] codes = kleuter ? new String[] {"|", "A", "Z", "Z01"}
                        : new String[] {"Z", "Z01", "R", "R03", "B", "P", "L", null};
                world.informat().registerByPerson(pupil.personId(), date.toString(), part.informat(),
                        codes[r.nextInt(codes.length)], motivation, null, "secretariaat", false);
            }
            registered.incrementAndGet();
            return true;
        } catch (SimValidationException e) {
            refused.incrementAndGet();
            return false;
        }
    }

    private static String[] pick(ThreadLocalRandom r, String[][] options) {
        return options[r.nextInt(options.length)];
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
