package be.absencebridge.sim.support;

import java.time.LocalDate;
import java.time.Month;

/**
 * A Flemish school year as the simulated vendors write it ({@code 2026-27}): 1 September of its first calendar year to
 * 30 June of the next (DOMAIN.md "School calendar").
 */
public record SchoolYear(int startYear) {

    /** Reads {@code yyyy-yy}: four digits, a dash, the last two digits of the following calendar year. */
    public static SchoolYear parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("school year is missing");
        }
        String t = text.strip();
        if (t.length() != 7 || t.charAt(4) != '-' || !digits(t, 0, 4) || !digits(t, 5, 7)) {
            throw new IllegalArgumentException("school year must be written yyyy-yy, like 2026-27");
        }
        int first = Integer.parseInt(t.substring(0, 4));
        int tail = Integer.parseInt(t.substring(5));
        if (tail != (first + 1) % 100) {
            throw new IllegalArgumentException("school year " + t + " does not span two consecutive calendar years");
        }
        return new SchoolYear(first);
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    public LocalDate firstDay() {
        return LocalDate.of(startYear, Month.SEPTEMBER, 1);
    }

    public LocalDate lastDay() {
        return LocalDate.of(startYear + 1, Month.JUNE, 30);
    }

    public boolean contains(LocalDate date) {
        return date.compareTo(firstDay()) >= 0 && date.compareTo(lastDay()) <= 0;
    }

    /**
     * Compulsory education (DOMAIN.md, since 2020-21): from 1 September of the calendar year in which the child turns 5,
     * so a child is of compulsory age in this school year when its fifth birthday falls in {@code startYear} or before.
     */
    public boolean isCompulsory(LocalDate dateOfBirth) {
        return dateOfBirth.plusYears(5).getYear() <= startYear;
    }

    @Override
    public String toString() {
        return String.format("%04d-%02d", startYear, (startYear + 1) % 100);
    }
}
