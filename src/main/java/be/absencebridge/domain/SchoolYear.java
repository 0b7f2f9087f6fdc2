package be.absencebridge.domain;

import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Flemish school year, written as Informat writes it: {@code 2026-27}, running 1 September to 30 June. */
public record SchoolYear(int startYear) {

    private static final Pattern FORMAT = Pattern.compile("(\\d{4})-(\\d{2})");

    public static SchoolYear parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("school year is missing");
        }
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("school year must look like 2026-27");
        }
        int start = Integer.parseInt(m.group(1));
        if ((start + 1) % 100 != Integer.parseInt(m.group(2))) {
            throw new IllegalArgumentException("school year must span two consecutive years, like 2026-27");
        }
        return new SchoolYear(start);
    }

    /**
     * The school year a date belongs to. The year turns on 1 September (DOMAIN.md): July and August belong to the year
     * that ends, so that a correction of a June day made in the summer is about the year it was made in.
     */
    public static SchoolYear of(LocalDate date) {
        return new SchoolYear(date.getMonthValue() >= 9 ? date.getYear() : date.getYear() - 1);
    }

    /**
     * The school years whose days the exchange still takes on {@code today}: the current one and, for {@code grace}
     * days after 1 September, the one before (a register of June is corrected in September until the school's Discimus
     * checks are closed). The current one first.
     */
    public static java.util.List<SchoolYear> open(LocalDate today, int grace) {
        SchoolYear current = of(today);
        return today.isBefore(current.firstDay().plusDays(grace)) ? java.util.List.of(current, current.previous())
                : java.util.List.of(current);
    }

    /** Whether {@code date} is a day of a school year still {@link #open} on {@code today}, up to today. */
    public static boolean takes(LocalDate today, int grace, LocalDate date) {
        return !date.isAfter(today) && open(today, grace).stream().anyMatch(y -> y.contains(date));
    }

    public SchoolYear previous() {
        return new SchoolYear(startYear - 1);
    }

    public LocalDate firstDay() {
        return LocalDate.of(startYear, 9, 1);
    }

    public LocalDate lastDay() {
        return LocalDate.of(startYear + 1, 6, 30);
    }

    public boolean contains(LocalDate date) {
        return !date.isBefore(firstDay()) && !date.isAfter(lastDay());
    }

    /** Compulsory education starts on 1 September of the year in which the child turns 5. */
    public boolean isCompulsory(LocalDate dateOfBirth) {
        return dateOfBirth.getYear() + 5 <= startYear;
    }

    @Override
    public String toString() {
        // written on every Informat write: no Formatter
        int next = (startYear + 1) % 100;
        return startYear + (next < 10 ? "-0" : "-") + next;
    }

}
