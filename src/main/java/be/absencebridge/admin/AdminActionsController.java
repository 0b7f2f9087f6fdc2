package be.absencebridge.admin;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** Who did what with the admin API and Jolokia (admins only): {@code GET /api/admin/actions?page=&size=}, newest first. */
@RestController
@RequestMapping("/api/admin")
public class AdminActionsController {

    private final AdminActions actions;

    public AdminActionsController(AdminActions actions) {
        this.actions = actions;
    }

    @GetMapping("/actions")
    public Map<String, Object> actions(@RequestParam(name = "page", defaultValue = "0") int page,
                                       @RequestParam(name = "size", defaultValue = "50") int size) {
        int p = Math.max(0, page);
        int s = Math.max(1, Math.min(size, 500));
        return Map.of("page", p, "size", s, "total", actions.count(), "actions", actions.page(p, s));
    }
}
