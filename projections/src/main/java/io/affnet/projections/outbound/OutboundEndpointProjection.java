package io.affnet.projections.outbound;

import io.affnet.api.config.ConfigCacheJson;
import io.affnet.api.outbound.OutboundSettingsChangedEvent;
import io.affnet.api.outbound.PostbackEndpointConfiguredEvent;
import io.affnet.api.outbound.PostbackEndpointPausedEvent;
import io.affnet.api.outbound.PostbackEndpointResumedEvent;
import io.affnet.api.outbound.PostbackSecretIssuedEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;

/**
 * Keeps {@code outbound_endpoint} (an affiliate's templates, sealed secret, pause state) and
 * {@code outbound_settings}. Subscribing, so the row changes with the event's transaction: delivery
 * stops at once when an endpoint is paused, and the API reads its own writes. Templates only move to a
 * newer version, so redelivery or a replay leaves the row as it is.
 */
@Component
@ProcessingGroup(OutboundEndpointProjection.GROUP)
public class OutboundEndpointProjection {

    public static final String GROUP = "outbound-endpoints";

    private final JdbcTemplate jdbc;

    public OutboundEndpointProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(PostbackEndpointConfiguredEvent e) throws JsonProcessingException {
        jdbc.update("""
                        INSERT INTO outbound_endpoint (affiliate_id, tenant_id, version, templates) VALUES (?, ?, ?, ?::jsonb)
                        ON CONFLICT (affiliate_id) DO UPDATE SET version = excluded.version, templates = excluded.templates,
                            updated_at = now()
                        WHERE outbound_endpoint.version < excluded.version""",
                e.affiliateId(), e.tenantId().value(), e.version(), ConfigCacheJson.MAPPER.writeValueAsString(e.templates()));
    }

    @EventHandler
    void on(PostbackSecretIssuedEvent e) {
        jdbc.update("""
                        UPDATE outbound_endpoint SET sealed_secret = ?, secret_prefix = ?, secret_issued_at = ?, updated_at = now()
                        WHERE affiliate_id = ? AND (secret_issued_at IS NULL OR secret_issued_at <= ?)""",
                e.sealedSecret(), e.prefix(), Timestamp.from(e.issuedAt()), e.affiliateId(), Timestamp.from(e.issuedAt()));
    }

    @EventHandler
    void on(PostbackEndpointPausedEvent e) {
        jdbc.update("""
                        UPDATE outbound_endpoint SET paused = true, paused_at = ?, pause_reason = ?, updated_at = now()
                        WHERE affiliate_id = ?""",
                Timestamp.from(e.pausedAt()), e.consecutiveFailures() + " failures in a row; last: " + e.lastError(),
                e.affiliateId());
    }

    @EventHandler
    void on(PostbackEndpointResumedEvent e) {
        jdbc.update("UPDATE outbound_endpoint SET paused = false, paused_at = NULL, pause_reason = NULL, updated_at = now() "
                + "WHERE affiliate_id = ?", e.affiliateId());
        jdbc.update("DELETE FROM outbound_endpoint_health WHERE affiliate_id = ?", e.affiliateId());
    }

    @EventHandler
    void on(OutboundSettingsChangedEvent e) {
        jdbc.update("""
                        INSERT INTO outbound_settings (tenant_id, allow_private_targets) VALUES (?, ?)
                        ON CONFLICT (tenant_id) DO UPDATE SET allow_private_targets = excluded.allow_private_targets""",
                e.tenantId().value(), e.allowPrivateTargets());
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM outbound_endpoint");
        jdbc.update("DELETE FROM outbound_settings");
    }
}
