package io.affnet.sagas.payout.processor;

import io.affnet.api.payout.ProcessorCredentials;
import io.affnet.sagas.secrets.SealedSecrets;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The owner of {@code payout_processor_account}: tenants' processor credentials, sealed at rest with the
 * platform's outbound secret key ({@link SealedSecrets}), opened only to make a call or check a webhook.
 */
public class ProcessorAccountStore implements ProcessorAccounts {

    /** What may be shown: whether it is connected, since when, and no secret. */
    public record Connection(ProcessorName processor, Instant connectedAt) {
    }

    /**
     * How long an opened account is reused. The payout saga asks for the tenant's account before every call (a query
     * and four AES-GCM openings: about 5 % of the JVM's CPU per payout in {@code ./affnet bench payouts}); a change
     * saved on this node is seen at once, one saved on another node within this time.
     */
    static final long REUSE_NANOS = java.time.Duration.ofSeconds(2).toNanos();

    private record Opened(Optional<ProcessorAccount> account, long at) {
    }

    private final JdbcTemplate jdbc;
    private final byte[] sealingKey;
    private final java.util.concurrent.ConcurrentMap<String, Opened> opened = new java.util.concurrent.ConcurrentHashMap<>();

    public ProcessorAccountStore(JdbcTemplate jdbc, String configuredSealingKey) {
        this.jdbc = jdbc;
        this.sealingKey = SealedSecrets.key(configuredSealingKey);
    }

    public Instant save(String tenantId, ProcessorName processor, ProcessorCredentials c) {
        Instant now = Instant.now();
        jdbc.update("""
                INSERT INTO payout_processor_account (tenant_id, processor, api_base, sealed_key, sealed_secret,
                    sealed_webhook_secret, sealed_previous_webhook_secret, webhook_id, connected_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, processor) DO UPDATE SET api_base = EXCLUDED.api_base, sealed_key = EXCLUDED.sealed_key,
                    sealed_secret = EXCLUDED.sealed_secret, sealed_webhook_secret = EXCLUDED.sealed_webhook_secret,
                    sealed_previous_webhook_secret = EXCLUDED.sealed_previous_webhook_secret, webhook_id = EXCLUDED.webhook_id,
                    connected_at = EXCLUDED.connected_at
                """, tenantId, processor.name(), c.apiBase(), seal(c.key()), seal(c.secret()), seal(c.webhookSecret()),
                seal(c.previousWebhookSecret()), c.webhookId(), Timestamp.from(now));
        opened.remove(tenantId + "|" + processor.name());
        return now;
    }

    public List<Connection> connections(String tenantId) {
        return jdbc.query("SELECT processor, connected_at FROM payout_processor_account WHERE tenant_id = ? ORDER BY processor",
                (rs, i) -> new Connection(ProcessorName.valueOf(rs.getString(1)), rs.getTimestamp(2).toInstant()), tenantId);
    }

    public Optional<ProcessorCredentials> credentials(String tenantId, ProcessorName processor) {
        List<ProcessorCredentials> rows = jdbc.query("""
                SELECT api_base, sealed_key, sealed_secret, sealed_webhook_secret, sealed_previous_webhook_secret, webhook_id
                FROM payout_processor_account WHERE tenant_id = ? AND processor = ?
                """, (rs, i) -> new ProcessorCredentials(rs.getString(1), open(rs.getString(2)), open(rs.getString(3)), open(rs.getString(4)),
                open(rs.getString(5)), rs.getString(6)), tenantId, processor.name());
        return rows.stream().findFirst();
    }

    @Override
    public Optional<ProcessorAccount> of(String tenantId, ProcessorName processor) {
        String key = tenantId + "|" + processor.name();
        long now = System.nanoTime();
        Opened o = opened.get(key);
        if (o != null && now - o.at() < REUSE_NANOS) {
            return o.account();
        }
        Optional<ProcessorAccount> account = credentials(tenantId, processor)
                .map(c -> new ProcessorAccount(processor, c.apiBase(), c.key(), c.secret()));
        if (opened.size() > 10_000) {
            opened.clear();
        }
        opened.put(key, new Opened(account, now));
        return account;
    }

    /** The webhook secrets to check a Stripe signature with (the current one, then the previous one). */
    public List<String> webhookSecrets(ProcessorCredentials c) {
        List<String> out = new ArrayList<>();
        if (c.webhookSecret() != null) {
            out.add(c.webhookSecret());
        }
        if (c.previousWebhookSecret() != null) {
            out.add(c.previousWebhookSecret());
        }
        return out;
    }

    private String seal(String clear) {
        return clear == null || clear.isEmpty() ? null : SealedSecrets.seal(clear, sealingKey);
    }

    private String open(String sealed) {
        return sealed == null ? null : SealedSecrets.open(sealed, sealingKey);
    }
}
