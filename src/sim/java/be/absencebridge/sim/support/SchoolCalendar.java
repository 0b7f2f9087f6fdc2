package be.absencebridge.sim.support;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated schools' calendar of one school year, written from the rule text of DOMAIN.md "School calendar" (the
 * Flemish rule of 1991), apart from the product's: the holidays as periods, the days off, weekends, and Wednesday
 * afternoon without classes. The simulated schools add no days of their own (model choice: the rule lets a school add
 * a few, no public source says which).
 */
public final class SchoolCalendar {

    /** A holiday period, both ends included. */
    private record Period(LocalDate first, LocalDate last) {
        static Period weeks(LocalDate monday, int weeks) {
            return new Period(monday, monday.plusDays(7L * weeks - 1));
        }

        boolean covers(LocalDate d) {
            return !d.isBefore(first) && !d.isAfter(last);
        }
    }

    /** An instruction half-day. */
    public record Slot(LocalDate date, HalfDay part) {
    }

    private final SchoolYear year;
    private final List<Period> off = new ArrayList<>();

    public SchoolCalendar(SchoolYear year) {
        this.year = year;
        int autumnYear = year.startYear();
        int springYear = autumnYear + 1;
        LocalDate easter = easter(springYear);

        // autumn holiday: the Monday-to-Sunday week holding 1 November; from 2 November when 1 November is a Sunday
        LocalDate allSaints = LocalDate.of(autumnYear, Month.NOVEMBER, 1);
        LocalDate autumn = allSaints.getDayOfWeek() == DayOfWeek.SUNDAY ? allSaints.plusDays(1) : mondayOfWeek(allSaints);
        off.add(Period.weeks(autumn, 1));
        off.add(day(LocalDate.of(autumnYear, Month.NOVEMBER, 11)));

        // Christmas holiday: two weeks from the Monday of Christmas' week, or from the Monday after a Christmas on a weekend
        LocalDate christmasDay = LocalDate.of(autumnYear, Month.DECEMBER, 25);
        LocalDate christmas = christmasDay.getDayOfWeek().getValue() >= DayOfWeek.SATURDAY.getValue()
                ? mondayOfWeek(christmasDay).plusWeeks(1) : mondayOfWeek(christmasDay);
        off.add(Period.weeks(christmas, 2));

        // carnival: the week from the seventh Monday before Easter Sunday
        off.add(Period.weeks(mondayBefore(easter, 7), 1));

        // Easter holiday: two weeks from the first Monday of April; Easter in March: from the Monday after Easter;
        // Easter after 15 April: from the second Monday before Easter
        LocalDate spring;
        if (easter.getMonth() == Month.MARCH) {
            spring = easter.plusDays(1);
        } else if (easter.getDayOfMonth() > 15) {
            spring = mondayBefore(easter, 2);
        } else {
            LocalDate april1 = LocalDate.of(springYear, Month.APRIL, 1);
            spring = april1.plusDays((8 - april1.getDayOfWeek().getValue()) % 7);
        }
        off.add(Period.weeks(spring, 2));

        // Easter Monday: a Belgian public holiday (law of 4 January 1974 on public holidays); DOMAIN.md's list of days off
        // leaves it out because it usually falls inside the Easter holiday, but not when Easter is after 15 April
        off.add(day(easter.plusDays(1)));
        off.add(day(LocalDate.of(springYear, Month.MAY, 1)));
        LocalDate ascension = easter.plusDays(39);
        off.add(new Period(ascension, ascension.plusDays(1)));
        off.add(day(easter.plusDays(50)));
    }

    private static Period day(LocalDate d) {
        return new Period(d, d);
    }

    /** The {@code n}th Monday before a Sunday (the first is six days before it). */
    private static LocalDate mondayBefore(LocalDate sunday, int n) {
        return sunday.minusDays(6 + 7L * (n - 1));
    }

    /** The Monday of the ISO week (Monday to Sunday) that holds {@code d}. */
    private static LocalDate mondayOfWeek(LocalDate d) {
        return d.minusDays(d.getDayOfWeek().getValue() - 1L);
    }

    /**
     * Gregorian Easter Sunday by the epact (Lilius and Clavius, as Knuth gives it in The Art of Computer Programming,
     * 1.3.2, exercise 14): golden number, century corrections, epact, the paschal full moon, the Sunday after.
     */
    static LocalDate easter(int year) {
        int golden = year % 19 + 1;
        int century = year / 100 + 1;
        int skippedLeapDays = 3 * century / 4 - 12;
        int moonCorrection = (8 * century + 5) / 25 - 5;
        int sundayKey = 5 * year / 4 - skippedLeapDays - 10;
        int epact = Math.floorMod(11 * golden + 20 + moonCorrection - skippedLeapDays, 30);
        if ((epact == 25 && golden > 11) || epact == 24) {
            epact++;
        }
        int fullMoon = 44 - epact;
        if (fullMoon < 21) {
            fullMoon += 30;
        }
        int sunday = fullMoon + 7 - Math.floorMod(sundayKey + fullMoon, 7);
        return sunday > 31 ? LocalDate.of(year, Month.APRIL, sunday - 31) : LocalDate.of(year, Month.MARCH, sunday);
    }

    public SchoolYear year() {
        return year;
    }

    /** A half-day with classes: inside the school year, a weekday, no holiday or day off, not Wednesday afternoon. */
    public boolean isInstruction(LocalDate date, HalfDay part) {
        if (!year.contains(date)) {
            return false;
        }
        switch (date.getDayOfWeek()) {
            case SATURDAY, SUNDAY:
                return false;
            case WEDNESDAY:
                if (part == HalfDay.PM) {
                    return false;
                }
                break;
            default:
                break;
        }
        for (Period p : off) {
            if (p.covers(date)) {
                return false;
            }
        }
        return true;
    }

    /** A day with classes (its morning has them). */
    public boolean isInstructionDay(LocalDate date) {
        return isInstruction(date, HalfDay.AM);
    }

    /** Every instruction half-day of the year in date order, the morning before the afternoon. */
    public List<Slot> instructionHalfDays() {
        long days = ChronoUnit.DAYS.between(year.firstDay(), year.lastDay()) + 1;
        List<Slot> out = new ArrayList<>((int) days * 2);
        year.firstDay().datesUntil(year.lastDay().plusDays(1)).forEach(d -> {
            if (isInstruction(d, HalfDay.AM)) {
                out.add(new Slot(d, HalfDay.AM));
            }
            if (isInstruction(d, HalfDay.PM)) {
                out.add(new Slot(d, HalfDay.PM));
            }
        });
        return out;
    }

    /** At most {@code count} instruction days of this year on or before {@code date}, the latest first. */
    public List<LocalDate> instructionDaysUpTo(LocalDate date, int count) {
        List<LocalDate> out = new ArrayList<>(Math.max(count, 0));
        LocalDate d = date.isAfter(year.lastDay()) ? year.lastDay() : date;
        for (; out.size() < count && year.contains(d); d = d.minusDays(1)) {
            if (isInstructionDay(d)) {
                out.add(d);
            }
        }
        return out;
    }
}
