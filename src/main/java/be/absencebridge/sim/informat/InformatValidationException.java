package be.absencebridge.sim.informat;

import be.absencebridge.sim.SimValidationException;

import java.util.List;

/** One or more {@code BR05x} validation errors, answered together as one 400 problem. */
public class InformatValidationException extends SimValidationException {

    private final List<String[]> errors;

    public InformatValidationException(List<String[]> errors) {
        super(400, errors.get(0)[0], errors.get(0)[1]);
        this.errors = List.copyOf(errors);
    }

    /** Pairs of code and message. */
    public List<String[]> errors() {
        return errors;
    }
}
