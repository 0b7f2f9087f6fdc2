package be.absencebridge.admin;

import be.absencebridge.backfill.Backfills;
import be.absencebridge.exchange.audit.Audit;
import be.absencebridge.exchange.deliver.DeadLetters;
import be.absencebridge.job.Refused;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** The operators' API under {@code /api/admin} (role admin; GET also for viewer), see CONTRACTS.md. */
@RestController
@RequestMapping("/api/admin")
public class AdminController {

    private final DeadLetters deadLetters;
    private final Replays replays;
    private final Audit audit;
    private final Backfills backfills;
    private final be.absencebridge.vendor.smartschool.SmartschoolDirectory smartschool;
    private final be.absencebridge.exchange.receive.Inbox inbox;
    private final Preflight preflight;

    public AdminController(DeadLetters deadLetters, Replays replays, Audit audit, Backfills backfills,
                           be.absencebridge.vendor.smartschool.SmartschoolDirectory smartschool,
                           be.absencebridge.exchange.receive.Inbox inbox, Preflight preflight) {
        this.preflight = preflight;
        this.inbox = inbox;
        this.deadLetters = deadLetters;
        this.replays = replays;
        this.audit = audit;
        this.backfills = backfills;
        this.smartschool = smartschool;
    }

    /** Thrown for a {@code platform} filter that names no configured platform: 404. */
    private static final class NoSuchPlatform extends RuntimeException {
        NoSuchPlatform(String platform) {
            super("no Smartschool platform " + platform + " is configured");
        }
    }

    /** The institutions of the {@code platform} filter, or null when there is none. */
    private java.util.Set<String> institutionsOf(String platform) throws java.io.IOException {
        if (platform == null || platform.isBlank()) {
            return null;
        }
        java.util.Set<String> institutions = smartschool.institutionsOf(platform.trim());
        if (institutions == null) {
            throw new NoSuchPlatform(platform.trim());
        }
        return institutions;
    }

    @org.springframework.web.bind.annotation.ExceptionHandler(NoSuchPlatform.class)
    ResponseEntity<ProblemDetail> noSuchPlatform(NoSuchPlatform e) {
        return problem(HttpStatus.NOT_FOUND, e.getMessage());
    }

    /** The backfills, newest first; {@code platform}: those of its institutions (and of their branches). */
    @GetMapping("/backfills")
    public List<Map<String, Object>> backfillList(@RequestParam(name = "platform", required = false) String platform,
                                                  @RequestParam(name = "limit", defaultValue = "100") int limit) throws java.io.IOException {
        return backfills.list(institutionsOf(platform), Math.max(1, Math.min(limit, 1000)));
    }

    @PostMapping("/backfills")
    public ResponseEntity<?> startBackfill(@org.springframework.web.bind.annotation.RequestBody(required = false) Backfills.Request request)
            throws java.io.IOException {
        try {
            return ResponseEntity.accepted().body(Map.of("id", backfills.start(request)));
        } catch (Refused e) {
            return problem(HttpStatus.valueOf(e.status()), e.getMessage());
        }
    }

    @GetMapping("/backfills/{id}")
    public ResponseEntity<?> backfill(@PathVariable("id") long id) {
        Map<String, Object> status = backfills.status(id);
        return status == null ? problem(HttpStatus.NOT_FOUND, "no backfill " + id) : ResponseEntity.ok(status);
    }

    /**
     * What waits for a pupil a package does not know yet, per source and reason: how many records, waiting since when
     * (no pupils named; the audit per pupil shows each record's WAITING_FOR_PUPIL).
     */
    @GetMapping("/waiting")
    public Map<String, Object> waiting() {
        List<be.absencebridge.exchange.receive.Inbox.Waiting> groups = inbox.waiting();
        return Map.of("records", groups.stream().mapToLong(be.absencebridge.exchange.receive.Inbox.Waiting::records).sum(),
                "groups", groups);
    }

    /** The preflight against the configured vendors, read-only (admins only): see {@link Preflight}. */
    @GetMapping("/preflight")
    public Map<String, Object> preflight() {
        return preflight.run();
    }

    @GetMapping("/dead-letters")
    public List<DeadLetters.Entry> deadLetters(@RequestParam(name = "all", defaultValue = "false") boolean all,
                                               @RequestParam(name = "platform", required = false) String platform,
                                               @RequestParam(name = "limit", defaultValue = "200") int limit) throws java.io.IOException {
        return deadLetters.list(!all, institutionsOf(platform), Math.max(1, Math.min(limit, 1000)));
    }

    /** Many at once: {@code {"ids":[...]}} or {@code {"stage","reason"}} (empty: every open one); {@code dryRun} counts only. */
    public record BulkReplay(List<Long> ids, String stage, String reason, Boolean dryRun) {
    }

    @PostMapping("/dead-letters/replay")
    public ResponseEntity<?> replayAll(@org.springframework.web.bind.annotation.RequestBody(required = false) BulkReplay r) {
        BulkReplay request = r == null ? new BulkReplay(null, null, null, false) : r;
        try {
            Replays.Bulk done = replays.replayAll(request.ids(), request.stage(), request.reason(), Boolean.TRUE.equals(request.dryRun()));
            return ResponseEntity.ok(Map.of("count", done.count(), "replayed", done.replayed(), "dryRun", done.dryRun()));
        } catch (IllegalArgumentException e) {
            return problem(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    @PostMapping("/dead-letters/{id}/replay")
    public ResponseEntity<?> replay(@PathVariable("id") long id) {
        return switch (replays.replay(id)) {
            case REPLAYED -> ResponseEntity.accepted().body(Map.of("id", id, "replayed", true));
            case NOT_FOUND -> problem(HttpStatus.NOT_FOUND, "no dead letter " + id);
            case ALREADY_REPLAYED -> problem(HttpStatus.CONFLICT, "dead letter " + id + " was replayed already");
        };
    }

    @GetMapping("/audit")
    public ResponseEntity<?> audit(@RequestParam(name = "institutionNumber", required = false) String institution,
                                   @RequestParam(name = "registrationNumber", required = false) String registration,
                                   @RequestParam(name = "date", required = false) String date,
                                   @RequestParam(name = "platform", required = false) String platform,
                                   @RequestParam(name = "limit", defaultValue = "500") int limit,
                                   @RequestParam(name = "beforeId", required = false) Long beforeId,
                                   jakarta.servlet.http.HttpServletRequest request) throws java.io.IOException {
        boolean admin = request.isUserInRole("ADMIN");
        if (!admin && blank(institution) == null && blank(date) == null) {
            // pupils' codes in bulk are not a viewer's read: one pupil, one institution or one day at a time
            return problem(HttpStatus.BAD_REQUEST, "a viewer reads the audit of an institutionNumber or a date");
        }
        LocalDate d = null;
        if (date != null && !date.isBlank()) {
            try {
                d = LocalDate.parse(date);
            } catch (DateTimeParseException e) {
                return problem(HttpStatus.BAD_REQUEST, "date must look like 2026-09-01");
            }
        }
        int page = Math.max(1, Math.min(limit, admin ? 5000 : Paging.VIEWER_PAGE));
        List<be.absencebridge.exchange.audit.Audit.Entry> entries = audit.find(blank(institution), blank(registration), d,
                institutionsOf(platform), beforeId, page);
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
        if (entries.size() == page) {
            // the next page: RFC 8288's Link, the list itself stays the contract's array
            ok.header("Link", Paging.next(request, "beforeId", entries.get(entries.size() - 1).id()));
        }
        return ok.body(entries);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
