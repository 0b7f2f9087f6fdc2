package be.absencebridge.sim.informat;

import be.absencebridge.sim.SimValidationException;

import java.util.List;

/** The Student API's 400: one or more field errors, answered together as one problem with its validationErrors. */
public class InformatValidationException extends SimValidationException {

    /** One entry of {@code validationErrors}: the field, why, and the document's code (null when it gives none). */
    public record Error(String name, String reason, String code) {
    }

    private final List<Error> errors;

    public InformatValidationException(List<Error> errors) {
        super(400, errors.get(0).code(), errors.get(0).reason());
        this.errors = List.copyOf(errors);
    }

    public List<Error> errors() {
        return errors;
    }
}
