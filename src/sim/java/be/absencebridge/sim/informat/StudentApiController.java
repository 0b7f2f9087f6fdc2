package be.absencebridge.sim.informat;

import be.absencebridge.sim.SimValidationException;
import be.absencebridge.sim.informat.InformatSimulator.AbsenceWrite;
import be.absencebridge.sim.informat.InformatSimulator.WriteResult;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/**
 * Informat's public Student API 1.0.0 ({@code https://studentapi.informatsoftware.be/api/v1}), its one absence operation
 * as the vendor's document describes it: {@code PUT students/{studentId}/absences} with exactly six fields, for
 * secondary education. 200 with the absence's id as a JSON string (the empty GUID when an existing absence was updated),
 * 204 when the same code is stored already, 400 {@code BR0xx}, 401, 403, 409 {@code DNF0xx} / {@code MNA007}, as RFC
 * 7807 problems with {@code validationErrors}. No read, no delete, no remark.
 */
@RestController
@RequestMapping("/sim/informat/api/v1")
@ConditionalOnProperty(name = "bridge.sim.enabled", havingValue = "true", matchIfMissing = true)
public class StudentApiController {

    private final InformatSimulator sim;
    private final InformatAuth auth;

    public StudentApiController(InformatSimulator sim, InformatAuth auth) {
        this.sim = sim;
        this.auth = auth;
    }

    /** The request body of the published document: six fields (anything else is ignored, as the vendor's API does). */
    public record SaveAbsenceRequest(String schoolYear, String absenceCode, String date, String partOfDay,
                                     Integer locationIdDiscimus, String timestamp) {
    }

    @PutMapping(path = "/students/{studentId}/absences", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<?> saveAbsence(@PathVariable("studentId") String studentId,
                                         @RequestHeader(name = "Authorization", required = false) String authorization,
                                         @RequestHeader(name = "instituteNo", required = false) String instituteNo,
                                         @RequestBody SaveAbsenceRequest body) {
        TokenStore.Token token = auth.forInstitute(authorization, instituteNo);
        AbsenceWrite w = new AbsenceWrite(body.schoolYear(), body.absenceCode(), body.date(), body.partOfDay(),
                body.locationIdDiscimus(), body.timestamp(), null);
        return answer(sim.put(instituteNo.trim(), studentId(studentId), w, token.clientId(), false));
    }

    static ResponseEntity<?> answer(WriteResult r) {
        if (r.outcome() == InformatSimulator.Outcome.UNCHANGED) {
            return ResponseEntity.noContent().build();
        }
        // a JSON string: the new absence's id, or the empty GUID for an update
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body("\"" + r.id() + "\"");
    }

    static UUID studentId(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new SimValidationException(409, "DNF002", "No student exists with the given student ID.");
        }
    }
}
