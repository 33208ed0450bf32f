package io.affnet.platform.audit;

import com.fasterxml.jackson.databind.ObjectMapper;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Verifies the chains of the store: reads every stored event through the storage engine (as stored, before
 * upcasting: what was hashed) and every link, position by position, in batches; then the heads.
 */
public final class AuditVerification {

    private final ChainedEventStorageEngine engine;
    private final DataSource dataSource;
    private final AuditKeys keys;
    private final ObjectMapper json;
    private final int batchSize;

    public AuditVerification(ChainedEventStorageEngine engine, DataSource dataSource, AuditKeys keys, ObjectMapper json, int batchSize) {
        this.engine = engine;
        this.dataSource = dataSource;
        this.keys = keys;
        this.json = json;
        this.batchSize = batchSize;
    }

    /** @param tenantId null for every tenant */
    public ChainVerifier.Result verify(String tenantId) {
        ChainVerifier verifier = new ChainVerifier(tenantId, keys, json);
        try (Connection c = dataSource.getConnection()) {
            long end = Math.max(engine.headIndex(), AuditChainStore.maxLinkedIndex(c));
            long position = 0;
            while (position < end && !verifier.broken()) {
                long upTo = Math.min(end, position + batchSize);
                List<StoredEvent> events = engine.storedAfter(position, (int) (upTo - position));
                List<AuditChainStore.Link> links = AuditChainStore.links(c, position, upTo);
                java.util.Map<Long, AuditChainStore.ClickFacts> facts = AuditChainStore.facts(c, position, upTo);
                int e = 0;
                int l = 0;
                while ((e < events.size() || l < links.size()) && !verifier.broken()) {
                    long ei = e < events.size() ? events.get(e).globalIndex() : Long.MAX_VALUE;
                    long li = l < links.size() ? links.get(l).globalIndex() : Long.MAX_VALUE;
                    if (ei == li) {
                        verifier.accept(events.get(e), links.get(l));
                        verifier.facts(events.get(e++), links.get(l), facts.get(links.get(l++).globalIndex()));
                    } else if (ei < li) {
                        verifier.accept(events.get(e++), null);
                    } else {
                        verifier.accept(null, links.get(l++));
                    }
                }
                position = upTo;
            }
            for (AuditChainStore.Head head : AuditChainStore.heads(c, tenantId)) {
                verifier.head(head);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the audit chain", e);
        }
        return verifier.result();
    }
}
