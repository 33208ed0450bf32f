package io.affnet.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.platform.config.JsonConfiguration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * Verifies an NDJSON export ({@code /api/v1/audit/events.ndjson}, unfiltered, from the start) without the
 * platform or its database: each line's stored form is hashed onto the previous link of its tenant and must
 * give the line's chain hash; checkpoints must verify with the public keys given. A line whose payload was
 * withheld (personal data) carries the payload's SHA-256 instead, which enters the hash the same way.
 */
public final class OfflineVerifier {

    private OfflineVerifier() {
    }

    public static ChainVerifier.Result verify(Iterable<String> lines, AuditKeys keys) {
        ObjectMapper json = JsonConfiguration.storageMapper();
        ChainVerifier verifier = new ChainVerifier(null, keys, json);
        for (String line : lines) {
            if (line.isBlank() || verifier.broken()) {
                continue;
            }
            JsonNode e;
            try {
                e = json.readTree(line);
            } catch (IOException ex) {
                throw new UncheckedIOException("not an NDJSON line of an audit export", ex);
            }
            JsonNode s = e.path("stored");
            if (s.isMissingNode()) {
                throw new IllegalArgumentException("line without its stored form: export with /api/v1/audit/events.ndjson");
            }
            Base64.Decoder b64 = Base64.getDecoder();
            byte[] payload = s.hasNonNull("payload") ? b64.decode(s.get("payload").asText()) : null;
            byte[] digest = payload == null ? ChainHash.unhex(s.path("payloadSha256").asText()) : null;
            StoredEvent event = new StoredEvent(e.path("globalPosition").asLong(), text(s, "eventId"), text(s, "aggregateType"),
                    text(s, "aggregateId"), s.path("sequence").asLong(), text(s, "timestamp"), text(s, "payloadType"),
                    text(s, "payloadRevision"), payload, s.hasNonNull("metadata") ? b64.decode(s.get("metadata").asText()) : null);
            JsonNode chain = e.path("chain");
            AuditChainStore.Link link = new AuditChainStore.Link(event.globalIndex(), chain.path("tenantId").asText(),
                    chain.path("seq").asLong(), ChainHash.unhex(chain.path("hash").asText()));
            verifier.accept(event, digest, link);
        }
        return verifier.result();
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
