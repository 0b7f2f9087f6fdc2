package be.absencebridge.sim.control;

import be.absencebridge.sim.Population;
import be.absencebridge.sim.SimValidationException;
import be.absencebridge.sim.Timestamps;

import be.absencebridge.sim.support.SchoolCalendar;
import be.absencebridge.sim.support.HalfDay;
import be.absencebridge.sim.Population.Pupil;
import be.absencebridge.sim.smartschool.SmartschoolSimulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
    private volatile double enrolmentsPerDay;
    /** The clock's reading at the last tick: enrolments are owed by the clock's time, not the tick count. */
    private Instant lastTick;
    private double owedEnrolments;
    private final AtomicLong enrolmentChanges = new AtomicLong();

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
            owedEnrolments = 0;
            lastTick = clock.instant();
            task = scheduler.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        } else if (eventsPerSecond == 0 && task != null) {
            task.cancel(false);
            task = null;
        }
        LOG.info("simulated traffic set to {} registrations per second", eventsPerSecond);
    }

    /** Pupils enrolled or moved per day of the clock while traffic is on (0: none). */
    public synchronized void setEnrolmentsPerDay(double perDay) {
        if (perDay < 0 || perDay > 10_000 || Double.isNaN(perDay)) {
            throw new SimValidationException("enrolmentsPerDay must be between 0 and 10000");
        }
        this.enrolmentsPerDay = perDay;
    }

    public double enrolmentsPerDay() {
        return enrolmentsPerDay;
    }

    /** Enrolments made and moves done by the traffic so far. */
    public long enrolmentChanges() {
        return enrolmentChanges.get();
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
            changeEnrolments();
        } catch (RuntimeException e) {
            LOG.warn("simulated traffic tick failed: {}", e.toString());
        }
    }

    /** One registration by a simulated person; returns false when it was refused (not enrolled, no lessons). */
    public boolean registerOne() {
        Population pop = world.population();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        SchoolCalendar cal = pop.calendar(pop.currentYear(Timestamps.today(clock)));
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
        boolean kleuter = pupil.nonCompulsoryKindergarten(cal.year());
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

    /**
     * The enrolments owed since the last tick by the clock (a jump of the clock owes at most a day's worth; a clock that
     * stands still or goes back owes none), each an enrolment of a new pupil or a move.
     */
    private synchronized void changeEnrolments() {
        Instant now = clock.instant();
        Instant last = lastTick;
        lastTick = now;
        if (last == null || !now.isAfter(last) || enrolmentsPerDay <= 0) {
            return;
        }
        double seconds = Math.min(Duration.between(last, now).toMillis() / 1000.0, 86_400.0);
        owedEnrolments += enrolmentsPerDay * seconds / 86_400.0;
        while (owedEnrolments >= 1) {
            owedEnrolments -= 1;
            try {
                changeOneEnrolment();
                enrolmentChanges.incrementAndGet();
            } catch (SimValidationException e) {
                LOG.debug("simulated enrolment refused: {}", e.getMessage());
            }
        }
    }

    /**
     * One pupil enrolled at a branch from today (two in three) or moved to another branch from today, the Smartschool
     * account following 0 to 600 seconds later (model: the shares and the delays are not published; the delay is minutes
     * here so that a demo shows it, while the vendors' link may take up to a night).
     */
    public void changeOneEnrolment() {
        Population pop = world.population();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        LocalDate today = Timestamps.today(clock);
        be.absencebridge.sim.support.SchoolYear year = pop.yearOf(today);
        if (year == null) {
            throw new SimValidationException("today is outside the school year");
        }
        int delay = r.nextInt(601);
        List<Population.Branch> branches = pop.branches();
        Population.Branch branch = branches.get(r.nextInt(branches.size()));
        if (r.nextInt(3) == 0) {
            // a move: a pupil enrolled since before today, to another branch (a few tries to find one)
            for (int attempt = 0; attempt < 20; attempt++) {
                Pupil current = pop.byPersonId(pop.pupils().get(r.nextInt(pop.pupils().size())).personId());
                if (current.endDate() == null && today.isAfter(current.startDate())
                        && branch.locationIdDiscimus() != current.locationIdDiscimus()) {
                    world.move(current.personId().toString(), branch.locationIdDiscimus(), today.toString(), delay);
                    return;
                }
            }
        }
        Population.Level level = Population.Level.values()[r.nextInt(3)];
        int age = switch (level) {
            case KLEUTER -> 3 + r.nextInt(3);
            case LAGER -> 6 + r.nextInt(6);
            case SECUNDAIR -> 12 + r.nextInt(6);
        };
        LocalDate birth = LocalDate.of(year.startYear() - age, 1, 1).plusDays(r.nextInt(365));
        world.enrol(branch.locationIdDiscimus(), today.toString(), level == Population.Level.SECUNDAIR ? "so" : level.json(),
                birth.toString(), delay);
    }

    private static String[] pick(ThreadLocalRandom r, String[][] options) {
        return options[r.nextInt(options.length)];
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
