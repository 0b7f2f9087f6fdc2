package be.absencebridge.admin;

import be.absencebridge.job.Refused;
import be.absencebridge.reconcile.Reconciliations;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.security.Principal;
import java.util.List;
import java.util.Map;

/**
 * Reconciliations and resyncs under {@code /api/admin} (CONTRACTS.md): start, progress and result, approval; and the
 * attendance rules' warnings.
 */
@RestController
@RequestMapping("/api/admin")
public class ReconciliationController {

    private final Reconciliations reconciliations;
    private final be.absencebridge.reconcile.RuleWarnings warnings;
    private final java.time.Clock clock;

    public ReconciliationController(Reconciliations reconciliations, be.absencebridge.reconcile.RuleWarnings warnings, java.time.Clock clock) {
        this.reconciliations = reconciliations;
        this.warnings = warnings;
        this.clock = clock;
    }

    /** The attendance rules' warnings of an institution's school year (default: the current one); they never block. */
    @GetMapping("/warnings")
    public ResponseEntity<?> warnings(@RequestParam(name = "institutionNumber") String institution,
                                      @RequestParam(name = "schoolYear", required = false) String schoolYear) throws IOException {
        be.absencebridge.domain.SchoolYear year;
        try {
            year = schoolYear == null || schoolYear.isBlank()
                    ? be.absencebridge.domain.SchoolYear.of(java.time.LocalDate.now(clock.withZone(java.time.ZoneId.of("Europe/Brussels"))))
                    : be.absencebridge.domain.SchoolYear.parse(schoolYear.trim());
        } catch (RuntimeException e) {
            return problem(HttpStatus.BAD_REQUEST, "schoolYear must look like 2026-27");
        }
        return ResponseEntity.ok(warnings.of(institution.trim(), year));
    }

    @PostMapping("/reconciliations")
    public ResponseEntity<?> start(@RequestBody(required = false) Reconciliations.Request request, Principal who) throws IOException {
        try {
            return ResponseEntity.accepted().body(Map.of("id", reconciliations.start(request, "api:" + who.getName())));
        } catch (Refused e) {
            return problem(HttpStatus.valueOf(e.status()), e.getMessage());
        }
    }

    /** The runs of the last {@code days} days (at most 30 are kept), newest first. */
    @GetMapping("/reconciliations")
    public List<Map<String, Object>> list(@RequestParam(name = "days", defaultValue = "30") int days) throws IOException {
        return reconciliations.list(Math.max(1, Math.min(days, 366)));
    }

    @GetMapping({"/reconciliations/{id}", "/resyncs/{id}"})
    public ResponseEntity<?> status(@PathVariable("id") long id, @RequestParam(name = "limit", defaultValue = "1000") int limit,
                                    @RequestParam(name = "offset", defaultValue = "0") long offset,
                                    jakarta.servlet.http.HttpServletRequest request) throws IOException {
        // an admin pages by 100,000 differences, a viewer by a page (pupils' codes are not a viewer's bulk read)
        int page = Math.max(0, Math.min(limit, request.isUserInRole("ADMIN") ? 100_000 : Paging.VIEWER_PAGE));
        Map<String, Object> status = reconciliations.status(id, page, Math.max(0, offset));
        if (status == null) {
            return problem(HttpStatus.NOT_FOUND, "no reconciliation " + id);
        }
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
        if (page > 0 && ((List<?>) status.get("differences")).size() == page) {
            ok.header("Link", Paging.next(request, "offset", Math.max(0, offset) + page));
        }
        return ok.body(status);
    }

    /** An admin lets a repair that the mass-change guard held write. */
    @PostMapping("/reconciliations/{id}/approve")
    public ResponseEntity<?> approve(@PathVariable("id") long id, Principal who) {
        return reconciliations.approve(id, who.getName())
                ? ResponseEntity.accepted().body(Map.of("id", id, "approved", true))
                : problem(HttpStatus.CONFLICT, "reconciliation " + id + " does not wait for an approval");
    }

    @PostMapping("/resyncs")
    public ResponseEntity<?> resync(@RequestBody(required = false) Reconciliations.Resync request, Principal who) throws IOException {
        try {
            return ResponseEntity.accepted().body(Map.of("id", reconciliations.resync(request, "api:" + who.getName())));
        } catch (Refused e) {
            return problem(HttpStatus.valueOf(e.status()), e.getMessage());
        }
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
