package be.absencebridge.sim.control;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * Pupils change (test only, CONTRACTS.md "Simulator controls"): enrolments made, ended and moved in Informat, where
 * pupils are enrolled; the Smartschool account follows {@code smartschoolDelaySeconds} later, as Informat's own
 * school-administration link would create or change it (model: how long that link takes is not published).
 */
@RestController
@RequestMapping("/sim/informat/admin/enrolments")
@ConditionalOnProperty(name = "bridge.sim.enabled", havingValue = "true", matchIfMissing = true)
public class EnrolmentController {

    private final SimulatedWorld world;

    public EnrolmentController(SimulatedWorld world) {
        this.world = world;
    }

    /** {@code level}: kleuter, lager or so ("secundair" accepted too). */
    public record EnrolRequest(Integer locationIdDiscimus, String startDate, String level, String dateOfBirth,
                               Integer smartschoolDelaySeconds) {
    }

    public record EndRequest(String endDate, Integer smartschoolDelaySeconds) {
    }

    public record MoveRequest(Integer locationIdDiscimus, String date, Integer smartschoolDelaySeconds) {
    }

    @PostMapping
    public ResponseEntity<Map<String, Object>> enrol(@RequestBody EnrolRequest r) {
        return ResponseEntity.status(HttpStatus.CREATED).body(world.enrol(r.locationIdDiscimus(), r.startDate(), r.level(),
                r.dateOfBirth(), r.smartschoolDelaySeconds()).view());
    }

    @PostMapping("/{personId}/end")
    public Map<String, Object> end(@PathVariable("personId") String personId, @RequestBody EndRequest r) {
        return world.end(personId, r.endDate(), r.smartschoolDelaySeconds()).view();
    }

    @PostMapping("/{personId}/move")
    public Map<String, Object> move(@PathVariable("personId") String personId, @RequestBody MoveRequest r) {
        return world.move(personId, r.locationIdDiscimus(), r.date(), r.smartschoolDelaySeconds()).view();
    }
}
