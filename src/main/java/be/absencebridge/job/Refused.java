package be.absencebridge.job;

/**
 * A run the rules forbid or a request that is not one, with the reason and the HTTP status the admin API answers it
 * with (problem details): 400 a request that is not one, 404 a scope that does not exist, 409 what the rules or the
 * vendors' interfaces forbid. The one refusal of every kind of run (backfills, reconciliations, resyncs).
 */
public final class Refused extends RuntimeException {

    private final int status;

    public Refused(int status, String reason) {
        super(reason);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
