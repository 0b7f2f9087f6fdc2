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

    /** The school year a date belongs to; July and August belong to the year that starts in September. */
    public static SchoolYear of(LocalDate date) {
        return new SchoolYear(date.getMonthValue() >= 7 ? date.getYear() : date.getYear() - 1);
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
