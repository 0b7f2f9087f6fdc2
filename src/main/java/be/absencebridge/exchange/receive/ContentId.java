package be.absencebridge.exchange.receive;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Event ids for polled items, derived from their content: the same registration read twice is stored once. */
final class ContentId {

    private ContentId() {
    }

    /**
     * An Informat change by its content: the change feed's items and the pushes (an item plus an {@code eventId}) get
     * the same id, so a change both pushed and read from the feed is stored, and decided, once. Every field that tells
     * one change from another counts: the pupil as both packages name it (person id, and institution and registration
     * number, which the decision keys on), the branch, and the remark (an edit of the remark alone keeps its time).
     */
    static String informatChange(com.fasterxml.jackson.databind.JsonNode item) {
        return of("feed2", item.path("personId").asText(), item.path("instituteNo").asText(), item.path("studentNo").asText(),
                item.path("locationIdDiscimus").asText(), item.path("date").asText(), item.path("partOfDay").asText(),
                item.path("absenceCode").asText(), item.path("timestamp").asText(), item.path("deleted").asBoolean(),
                item.path("registeredBy").asText(), item.path("remark").asText());
    }

    /**
     * A Smartschool register cell by its content: the SOAP register read's cells and the pushes (the same cell plus
     * the pupil's identity, {@code registeredBy} and an {@code eventId}) get the same id, so a registration both
     * pushed and read back by the poller is stored, and decided, once.
     */
    static String smartschoolCell(Object internalNumber, Object date, Object part, com.fasterxml.jackson.databind.JsonNode cell) {
        return of("soap", internalNumber, date, part, cell.path("code").asText(), cell.path("alias").asText(),
                cell.path("registeredAt").asText(), cell.path("motivation").asText());
    }

    public static String of(String prefix, Object... parts) {
        StringBuilder sb = new StringBuilder();
        for (Object p : parts) {
            sb.append(p).append('\u001f');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return prefix + ":" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
