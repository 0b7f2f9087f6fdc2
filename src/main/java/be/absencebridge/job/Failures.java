package be.absencebridge.job;

/**
 * How a run over many half-days (a backfill, a reconciliation, a resync) ends when a step throws: what a retry can fix
 * (a vendor unreachable, the database gone) leaves the run to be resumed; anything else (data it cannot read, a bug)
 * ends it {@code FAILED} with the reason, so that its alert fires instead of a resume every half minute for ever.
 */
public final class Failures {

    private Failures() {
    }

    /** Whether a retry can fix it: an I/O failure or a transient database failure anywhere in the causes. */
    public static boolean retryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException || t instanceof org.springframework.dao.TransientDataAccessException
                    || t instanceof org.springframework.dao.DataAccessResourceFailureException
                    || t instanceof org.springframework.transaction.CannotCreateTransactionException) {
                return true;
            }
        }
        return false;
    }

    /** The reason a run records: the exception's kind and message. */
    public static String reason(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
