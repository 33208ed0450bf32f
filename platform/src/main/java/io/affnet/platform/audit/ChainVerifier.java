package io.affnet.platform.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.audit.AuditCheckpointSignedEvent;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Recomputes hash chains from stored events and their links, in global order, and stops at the first
 * broken link. Fed by the store ({@link AuditVerification}) or by an export (the offline verifier); it
 * holds one hash per tenant, nothing per event. Checks:
 * <ul>
 *   <li>every event has a link and every link an event (rows inserted or deleted);</li>
 *   <li>a tenant's links count 1, 2, 3… in global order (rows deleted or moved);</li>
 *   <li>each link's hash equals SHA-256(previous hash || canonical event) (rows edited or reordered);</li>
 *   <li>each checkpoint event signs exactly the link before it, with a known key;</li>
 *   <li>at the end, each tenant's head (store) is where its chain ended (the newest rows removed).</li>
 * </ul>
 */
public final class ChainVerifier {

    private static final String CHECKPOINT_TYPE = AuditCheckpointSignedEvent.class.getName();

    /** The first broken link: where, whose, and what is wrong. */
    public record Broken(long globalIndex, String tenantId, long seq, String reason) {
    }

    public record Result(long events, int tenants, long checkpoints, Broken broken) {
        public boolean verified() {
            return broken == null;
        }

        public String line() {
            return broken == null
                    ? "verified events=" + events + " tenants=" + tenants + " checkpoints=" + checkpoints
                    : "broken global_position=" + broken.globalIndex() + " tenant=" + broken.tenantId() + " seq=" + broken.seq()
                    + ": " + broken.reason();
        }
    }

    private static final class State {
        long seq;
        long index;
        byte[] hash;

        State(String tenant) {
            hash = ChainHash.genesis(tenant);
        }
    }

    private final String onlyTenant;
    private final AuditKeys keys;
    private final ObjectMapper json;
    private final Map<String, State> chains = new HashMap<>();
    private static final String CLICK_TYPE = io.affnet.api.click.ClickRecordedEvent.class.getName();
    private static final String CLICK_REVISION = io.affnet.api.click.ClickRecordedEvent.class
            .getAnnotation(org.axonframework.serialization.Revision.class).value();

    private long events;
    private long checkpoints;
    private Broken broken;

    /** @param onlyTenant null: every tenant; else only that tenant's chain (and unlinked events that name it) */
    public ChainVerifier(String onlyTenant, AuditKeys keys, ObjectMapper json) {
        this.onlyTenant = onlyTenant;
        this.keys = keys;
        this.json = json;
    }

    public boolean broken() {
        return broken != null;
    }

    /** One global position: its event (null if none) and its link (null if none). */
    public void accept(StoredEvent event, AuditChainStore.Link link) {
        accept(event, null, link);
    }

    /**
     * As {@link #accept(StoredEvent, AuditChainStore.Link)}, for an event whose payload is known only by its
     * digest ({@code payloadDigest} set, the event's payload ignored).
     */
    public void accept(StoredEvent event, byte[] payloadDigest, AuditChainStore.Link link) {
        if (broken != null || (event == null && link == null)) {
            return;
        }
        if (link == null) {
            String tenant = EventTenants.ofStored(json, event.metadata(), event.payload() == null ? new byte[]{'{', '}'} : event.payload());
            if (inScope(tenant) || EventTenants.PLATFORM.equals(tenant)) {
                broken = new Broken(event.globalIndex(), tenant, -1, "event " + event.eventId() + " has no chain link (inserted outside the platform)");
            }
            return;
        }
        if (!inScope(link.tenantId())) {
            return;
        }
        if (event == null) {
            broken = new Broken(link.globalIndex(), link.tenantId(), link.seq(), "chain link without its event (event deleted)");
            return;
        }
        State state = chains.computeIfAbsent(link.tenantId(), State::new);
        if (link.seq() != state.seq + 1) {
            broken = new Broken(link.globalIndex(), link.tenantId(), link.seq(),
                    "chain jumps from link " + state.seq + " to " + link.seq() + " (events deleted or moved)");
            return;
        }
        byte[] metaDigest = ChainHash.metadataDigest(event);
        byte[] hash = payloadDigest != null
                ? ChainHash.next(state.hash, event, payloadDigest, metaDigest)
                : ChainHash.next(state.hash, event);
        if (!Arrays.equals(hash, link.hash())) {
            broken = new Broken(link.globalIndex(), link.tenantId(), link.seq(),
                    "event " + event.eventId() + " (" + simpleName(event.payloadType()) + " at " + event.timestamp()
                            + ") does not match its chain hash (edited, moved or reordered)");
            return;
        }
        if (CHECKPOINT_TYPE.equals(event.payloadType())) {
            if (event.payload() == null) {
                broken = new Broken(link.globalIndex(), link.tenantId(), link.seq(), "checkpoint without its payload in the export");
                return;
            }
            String problem = checkpointProblem(event.payload(), link.tenantId(), state);
            if (problem != null) {
                broken = new Broken(link.globalIndex(), link.tenantId(), link.seq(), problem);
                return;
            }
            checkpoints++;
        }
        state.seq = link.seq();
        state.index = link.globalIndex();
        state.hash = hash;
        events++;
    }

    /**
     * The replay's facts kept beside a verified link (V120) must be what its event says: a click of the current
     * revision with that offer, affiliate and click time (the column's microseconds), stored at that time. The facts
     * are outside the hash, so this is what makes an edit of them evident.
     */
    public void facts(StoredEvent event, AuditChainStore.Link link, AuditChainStore.ClickFacts facts) {
        if (broken != null || event == null || link == null || facts == null || !inScope(link.tenantId())) {
            return;
        }
        StateReplay.ClickFact fact = CLICK_TYPE.equals(event.payloadType()) && CLICK_REVISION.equals(event.payloadRevision())
                && event.payload() != null ? TenantReplay.click(event.payload()) : null;
        boolean same = fact != null && java.util.Objects.equals(fact.offerId(), facts.offerId())
                && java.util.Objects.equals(fact.affiliateId(), facts.affiliateId())
                && fact.clickedAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS).equals(facts.clickedAt())
                && org.axonframework.common.DateTimeUtils.parseInstant(event.timestamp()).equals(facts.eventAt());
        if (!same) {
            broken = new Broken(link.globalIndex(), link.tenantId(), link.seq(),
                    "the click facts beside link " + link.seq() + " do not match event " + event.eventId() + " (edited)");
        }
    }

    /** The end of the store: each head must be where its chain ended. */
    public void head(AuditChainStore.Head head) {
        if (broken != null || !inScope(head.tenantId())) {
            return;
        }
        State state = chains.get(head.tenantId());
        long seq = state == null ? 0 : state.seq;
        if (seq != head.seq() || !Arrays.equals(state.hash, head.hash())) {
            broken = new Broken(head.globalIndex(), head.tenantId(), head.seq(),
                    "the chain head is link " + head.seq() + " but the events end at link " + seq + " (newest events removed)");
        }
    }

    public Result result() {
        return new Result(events, chains.size(), checkpoints, broken);
    }

    private static String simpleName(String type) {
        return type == null ? "?" : type.substring(type.lastIndexOf('.') + 1);
    }

    private boolean inScope(String tenant) {
        return onlyTenant == null || onlyTenant.equals(tenant);
    }

    private String checkpointProblem(byte[] payload, String tenant, State before) {
        try {
            JsonNode cp = json.readTree(payload);
            String cpTenant = cp.path("tenantId").asText();
            long seq = cp.path("chainSeq").asLong(-1);
            String hash = cp.path("headHash").asText();
            if (!tenant.equals(cpTenant) || seq != before.seq || !ChainHash.hex(before.hash).equals(hash)
                    || cp.path("globalIndex").asLong() != before.index) {
                return "checkpoint does not sign the link before it (signs " + cpTenant + " link " + seq + ")";
            }
            Instant signedAt = Instant.parse(cp.path("signedAt").asText());
            byte[] message = AuditKeys.signedBytes(cpTenant, seq, hash, cp.path("globalIndex").asLong(), signedAt);
            if (!keys.verify(cp.path("keyId").asText(), message, cp.path("signature").asText(null))) {
                return "checkpoint signature does not verify with key " + cp.path("keyId").asText();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "checkpoint payload unreadable: " + e.getMessage();
        }
    }
}
