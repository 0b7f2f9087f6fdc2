package be.absencebridge.retention;

import be.absencebridge.exchange.audit.Audit;
import be.absencebridge.vendor.informat.InformatDirectory;
import be.absencebridge.vendor.smartschool.SmartschoolDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One pupil's data erased on request (a school's answer to an erasure request, an enrolment made by mistake): every row
 * the bridge holds for an institution and registration number, in one transaction, recorded in the audit as a count
 * without the person ({@link Audit#recordErasure}). The log line names neither: only the audit row's correlation id.
 * <p>
 * Smartschool's register reads are kept by username, a running backfill's copy of Informat's register by branch: the
 * pupil's account and the branches' institutions are read from the directories first; when a directory cannot be read
 * nothing is erased (an {@link java.io.IOException}: try again). A pupil Smartschool no longer knows leaves its reads
 * until the nightly retention removes them with their day (a username and codes of the last few days).
 */
@Component
public class Erasure {

    private static final Logger LOG = LoggerFactory.getLogger(Erasure.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Audit audit;
    private final SmartschoolDirectory smartschool;
    private final InformatDirectory informat;

    public Erasure(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, Audit audit, SmartschoolDirectory smartschool,
                   InformatDirectory informat) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.audit = audit;
        this.smartschool = smartschool;
        this.informat = informat;
    }

    /** The rows removed (or, for a resync that named the pupil, changed). */
    public long erase(String institution, String registration) throws java.io.IOException {
        // the pupil's Smartschool account (its register reads are kept by username), before the transaction
        SmartschoolDirectory.Pupil account = smartschool.pupil(institution, registration);
        List<Long> backfills = backfillsOf(institution);
        SmartschoolDirectory.Pupil smartschoolAccount = account;
        String correlationId = "erasure-" + UUID.randomUUID();
        long rows = tx.execute(s -> {
            MapSqlParameterSource p = new MapSqlParameterSource("inst", institution).addValue("reg", registration);
            long n = 0;
            n += jdbc.update("""
                    DELETE FROM inbox WHERE (payload->>'institutionNumber' = :inst AND payload->>'registrationNumber' = :reg)
                                         OR (payload->>'instituteNo' = :inst AND payload->>'studentNo' = :reg)""", p);
            n += jdbc.update("""
                    DELETE FROM outbox WHERE target IN ('SMARTSCHOOL', 'INFORMAT') AND institution_number = :inst
                                         AND registration_number = :reg""", p);
            n += jdbc.update("DELETE FROM decision WHERE institution_number = :inst AND registration_number = :reg", p);
            n += jdbc.update("DELETE FROM audit WHERE institution_number = :inst AND registration_number = :reg", p);
            n += jdbc.update("DELETE FROM dead_letter WHERE institution_number = :inst AND registration_number = :reg", p);
            n += jdbc.update("DELETE FROM reconciliation_difference WHERE institution_number = :inst AND registration_number = :reg", p);
            // a resync that named the pupil keeps the others it named
            n += jdbc.update("""
                    UPDATE reconciliation SET pupils = coalesce((
                        SELECT jsonb_agg(e) FROM jsonb_array_elements(pupils) e
                        WHERE NOT (e->>'institutionNumber' = :inst AND e->>'registrationNumber' = :reg)), '[]'::jsonb)
                    WHERE pupils @> jsonb_build_array(jsonb_build_object('institutionNumber', CAST(:inst AS text),
                                                                         'registrationNumber', CAST(:reg AS text)))""", p);
            if (!backfills.isEmpty()) {
                n += jdbc.update("DELETE FROM backfill_source WHERE backfill_id IN (:backfills) AND student_no = :reg",
                        p.addValue("backfills", backfills));
            }
            if (smartschoolAccount != null) {
                n += jdbc.update("DELETE FROM smartschool_read WHERE platform = :platform AND username = :username",
                        new MapSqlParameterSource("platform", smartschoolAccount.platform()).addValue("username", smartschoolAccount.username()));
            }
            audit.recordErasure(correlationId, institution, n);
            return n;
        });
        LOG.info("erasure {}: {} rows of one pupil of institution {} erased", correlationId, rows, institution);
        return rows;
    }

    /** The backfills holding a copy of Informat's register of this institution (by institution, or one of its branches). */
    private List<Long> backfillsOf(String institution) throws java.io.IOException {
        List<Long> out = new ArrayList<>();
        for (Map<String, Object> b : jdbc.queryForList("SELECT DISTINCT b.id, b.scope FROM backfill b JOIN backfill_source s ON s.backfill_id = b.id",
                Map.of())) {
            String scope = (String) b.get("scope");
            boolean ours = institution.equals(scope);
            if (!ours && scope.matches("\\d{1,9}")) {
                InformatDirectory.Location l = informat.location(Integer.parseInt(scope));
                ours = l != null && institution.equals(l.instituteNo());
            }
            if (ours) {
                out.add(((Number) b.get("id")).longValue());
            }
        }
        return out;
    }
}
