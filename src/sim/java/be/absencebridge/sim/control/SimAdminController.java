package be.absencebridge.sim.control;

import be.absencebridge.sim.Population;
import be.absencebridge.sim.SeedRequest;
import be.absencebridge.sim.SimValidationException;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

/** The controls both simulators share: one seed call seeds both, one traffic generator spans both. */
@RestController
@ConditionalOnProperty(name = "bridge.sim.enabled", havingValue = "true", matchIfMissing = true)
public class SimAdminController {

    private final SimulatedWorld world;
    private final TrafficGenerator traffic;

    public SimAdminController(SimulatedWorld world, TrafficGenerator traffic) {
        this.world = world;
        this.traffic = traffic;
    }

    /** {@code enrolmentsPerDay} (optional): pupils enrolled or moved per day of the clock while traffic is on. */
    public record TrafficRequest(Double eventsPerSecond, Double enrolmentsPerDay) {
    }

    @PostMapping({"/sim/smartschool/admin/seed", "/sim/informat/admin/seed"})
    public Map<String, Object> seed(@RequestBody(required = false) SeedRequest request) {
        SeedRequest req;
        try {
            req = (request == null ? new SeedRequest(null, null, null, null, null) : request).normalised();
        } catch (IllegalArgumentException e) {
            throw new SimValidationException(e.getMessage());
        }
        Population p = world.seed(req);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("institutions", p.institutions());
        body.put("branches", p.branches().size());
        body.put("pupils", p.pupils().size());
        body.put("schoolYear", p.schoolYear().toString());
        body.put("schoolYears", p.schoolYears().stream().map(Object::toString).toList());
        body.put("seed", req.seed());
        return body;
    }

    @PostMapping({"/sim/smartschool/admin/traffic", "/sim/informat/admin/traffic"})
    public Map<String, Object> traffic(@RequestBody TrafficRequest request) {
        if (request.eventsPerSecond() == null) {
            throw new SimValidationException("eventsPerSecond is missing");
        }
        if (request.enrolmentsPerDay() != null) {
            traffic.setEnrolmentsPerDay(request.enrolmentsPerDay());
        }
        traffic.setRate(request.eventsPerSecond());
        return Map.of("eventsPerSecond", traffic.rate(), "registered", traffic.registered(),
                "enrolmentsPerDay", traffic.enrolmentsPerDay(), "enrolmentChanges", traffic.enrolmentChanges());
    }
}
