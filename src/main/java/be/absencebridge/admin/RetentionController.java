package be.absencebridge.admin;

import be.absencebridge.retention.Erasure;
import be.absencebridge.retention.Retention;
import be.absencebridge.retention.Storage;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.security.Principal;
import java.util.Map;

/**
 * What the bridge stores and for how long, under {@code /api/admin} (CONTRACTS.md): the storage report (admins and
 * viewers: no personal data in it), retention runs (started by an admin, read by both), and one pupil's data erased
 * (admins only, as every change of the admin API).
 */
@RestController
@RequestMapping("/api/admin")
public class RetentionController {

    private final Storage storage;
    private final Retention retention;
    private final Erasure erasure;

    public RetentionController(Storage storage, Retention retention, Erasure erasure) {
        this.storage = storage;
        this.retention = retention;
        this.erasure = erasure;
    }

    @GetMapping("/storage")
    public Map<String, Object> storage() {
        return storage.report();
    }

    @PostMapping("/retention")
    public ResponseEntity<?> startRetention(Principal who) {
        return ResponseEntity.accepted().body(Map.of("id", retention.start("api:" + who.getName())));
    }

    @GetMapping("/retention/{id}")
    public ResponseEntity<?> retention(@PathVariable("id") long id) throws IOException {
        Map<String, Object> status = retention.status(id);
        return status == null ? problem(HttpStatus.NOT_FOUND, "no retention run " + id) : ResponseEntity.ok(status);
    }

    @DeleteMapping("/pupils/{institutionNumber}/{registrationNumber}")
    public ResponseEntity<?> erase(@PathVariable("institutionNumber") String institution,
                                   @PathVariable("registrationNumber") String registration) {
        if (institution.isBlank() || registration.isBlank()) {
            return problem(HttpStatus.BAD_REQUEST, "an institution number and a registration number are needed");
        }
        try {
            return ResponseEntity.ok(Map.of("rows", erasure.erase(institution.trim(), registration.trim())));
        } catch (IOException e) {
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "a vendor's directory could not be read, nothing was erased: try again");
        }
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
