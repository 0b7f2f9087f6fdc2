package be.absencebridge.domain;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Flemish school calendar (rule of 1991): holidays and days off of a school year, and from them
 * the instruction half-days. Wednesday afternoon has no classes. Schools may add days of their own.
 */
public final class FlemishSchoolCalendar {

    private final SchoolYear year;
    private final Set<LocalDate> daysOff;

    public FlemishSchoolCalendar(SchoolYear year, Set<LocalDate> extraDaysOff) {
        this.year = year;
        TreeSet<LocalDate> off = new TreeSet<>(holidays(year));
        off.addAll(extraDaysOff);
        this.daysOff = Collections.unmodifiableSet(off);
    }

    public FlemishSchoolCalendar(SchoolYear year) {
        this(year, Set.of());
    }

    public SchoolYear year() {
        return year;
    }

    /** True when the half-day is a day with classes in this school year. */
    public boolean isInstruction(LocalDate date, HalfDay part) {
        if (!year.contains(date) || daysOff.contains(date)) {
            return false;
        }
        DayOfWeek dow = date.getDayOfWeek();
        if (dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY) {
            return false;
        }
        return !(dow == DayOfWeek.WEDNESDAY && part == HalfDay.PM);
    }

    public boolean isInstructionDay(LocalDate date) {
        return isInstruction(date, HalfDay.AM);
    }

    /** Every instruction half-day of the year, in date order. */
    public List<HalfDaySlot> instructionHalfDays() {
        List<HalfDaySlot> slots = new ArrayList<>(400);
        for (LocalDate d = year.firstDay(); !d.isAfter(year.lastDay()); d = d.plusDays(1)) {
            for (HalfDay part : HalfDay.values()) {
                if (isInstruction(d, part)) {
                    slots.add(new HalfDaySlot(d, part));
                }
            }
        }
        return slots;
    }

    /** The instruction days on or before {@code date}, newest first, at most {@code count}. */
    public List<LocalDate> instructionDaysUpTo(LocalDate date, int count) {
        List<LocalDate> days = new ArrayList<>(count);
        LocalDate d = date.isAfter(year.lastDay()) ? year.lastDay() : date;
        while (days.size() < count && !d.isBefore(year.firstDay())) {
            if (isInstructionDay(d)) {
                days.add(d);
            }
            d = d.minusDays(1);
        }
        return days;
    }

    public Set<LocalDate> daysOff() {
        return daysOff;
    }

    public record HalfDaySlot(LocalDate date, HalfDay part) {
    }

    /** The holidays and days off fixed by the Flemish rule for a school year. */
    static Set<LocalDate> holidays(SchoolYear year) {
        int y1 = year.startYear();
        int y2 = y1 + 1;
        Set<LocalDate> off = new TreeSet<>();

        // Autumn: the week (Monday to Sunday) containing 1 November; from 2 November when that is a Sunday.
        LocalDate nov1 = LocalDate.of(y1, Month.NOVEMBER, 1);
        LocalDate autumn = nov1.getDayOfWeek() == DayOfWeek.SUNDAY
                ? nov1.plusDays(1)
                : nov1.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        addRange(off, autumn, 7);
        off.add(LocalDate.of(y1, Month.NOVEMBER, 11));

        // Christmas: two weeks from the Monday of Christmas week (the Monday after, when Christmas is on a weekend).
        LocalDate xmas = LocalDate.of(y1, Month.DECEMBER, 25);
        LocalDate christmas = switch (xmas.getDayOfWeek()) {
            case SATURDAY, SUNDAY -> xmas.with(TemporalAdjusters.next(DayOfWeek.MONDAY));
            default -> xmas.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        };
        addRange(off, christmas, 14);

        LocalDate easter = easterSunday(y2);
        // Carnival: the week from the 7th Monday before Easter.
        addRange(off, easter.minusDays(6).minusWeeks(6), 7);

        // Easter holidays: two weeks from the first Monday of April; from the Monday after Easter when
        // Easter is in March; from the 2nd Monday before Easter when Easter is after 15 April.
        LocalDate easterHolidays;
        if (easter.getMonth() == Month.MARCH) {
            easterHolidays = easter.plusDays(1);
        } else if (easter.isAfter(LocalDate.of(y2, Month.APRIL, 15))) {
            easterHolidays = easter.minusDays(6).minusWeeks(1);
        } else {
            easterHolidays = LocalDate.of(y2, Month.APRIL, 1).with(TemporalAdjusters.firstInMonth(DayOfWeek.MONDAY));
        }
        addRange(off, easterHolidays, 14);

        off.add(LocalDate.of(y2, Month.MAY, 1));
        off.add(easter.plusDays(1));  // Easter Monday (inside the Easter holidays, except when they end before it)
        off.add(easter.plusDays(39)); // Ascension Thursday
        off.add(easter.plusDays(40)); // and the Friday after
        off.add(easter.plusDays(50)); // Whit Monday
        return off;
    }

    private static void addRange(Set<LocalDate> set, LocalDate from, int days) {
        for (int i = 0; i < days; i++) {
            set.add(from.plusDays(i));
        }
    }

    /** Gregorian Easter Sunday (anonymous Gregorian algorithm). */
    static LocalDate easterSunday(int year) {
        int a = year % 19;
        int b = year / 100;
        int c = year % 100;
        int d = b / 4;
        int e = b % 4;
        int f = (b + 8) / 25;
        int g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4;
        int k = c % 4;
        int l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31;
        int day = ((h + l - 7 * m + 114) % 31) + 1;
        return LocalDate.of(year, month, day);
    }
}
