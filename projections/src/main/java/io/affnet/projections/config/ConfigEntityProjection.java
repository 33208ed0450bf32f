package io.affnet.projections.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.affnet.api.advertiser.AdvertiserCreatedEvent;
import io.affnet.api.advertiser.AdvertiserUpdatedEvent;
import io.affnet.api.affiliate.AffiliateCreatedEvent;
import io.affnet.api.affiliate.AffiliateUpdatedEvent;
import io.affnet.api.common.TenantId;
import io.affnet.api.config.ConfigCacheJson;
import io.affnet.api.config.ConfigCacheKeys;
import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.api.link.LinkCreatedEvent;
import io.affnet.api.link.LinkUpdatedEvent;
import io.affnet.api.offer.OfferCreatedEvent;
import io.affnet.api.offer.OfferPixelConfiguredEvent;
import io.affnet.api.offer.OfferUpdatedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code config_entity}: one row per advertiser, offer, affiliate and link with its current
 * version as JSON (the fields the API accepts, plus {@code id} and {@code version}). Its processing
 * group subscribes, so the row changes in the transaction that appends the event. A row is only
 * replaced by a newer version, so redelivery or a replay leaves it as it is. An advertiser's change is
 * announced on the change channel once committed: each node keeps its postback IP allowlist in memory.
 */
@Component
@ProcessingGroup(ConfigEntityProjection.GROUP)
public class ConfigEntityProjection {

    public static final String GROUP = "config-entities";

    private final JdbcTemplate jdbc;
    private final ConfigChanges changes;

    public ConfigEntityProjection(JdbcTemplate jdbc, ConfigChanges changes) {
        this.jdbc = jdbc;
        this.changes = changes;
    }

    @EventHandler
    void on(AdvertiserCreatedEvent e) {
        upsert(e.tenantId(), ConfigEntityKinds.ADVERTISER, e.advertiserId(), e.version(), e.profile(), null);
        changes.announceAfterCommit(ConfigCacheKeys.advertiser(e.tenantId().value(), e.advertiserId()));
    }

    @EventHandler
    void on(AdvertiserUpdatedEvent e) {
        upsert(e.tenantId(), ConfigEntityKinds.ADVERTISER, e.advertiserId(), e.version(), e.profile(), null);
        changes.announceAfterCommit(ConfigCacheKeys.advertiser(e.tenantId().value(), e.advertiserId()));
    }

    @EventHandler
    void on(OfferCreatedEvent e) {
        upsert(e.tenantId(), ConfigEntityKinds.OFFER, e.offerId(), e.version(), e.terms(), null);
    }

    @EventHandler
    void on(OfferUpdatedEvent e) {
        upsert(e.tenantId(), ConfigEntityKinds.OFFER, e.offerId(), e.version(), e.terms(), null);
    }

    /** Versioned by the offer's event sequence: pixel changes do not make a new version of the terms. */
    @EventHandler
    void on(OfferPixelConfiguredEvent e, @SequenceNumber long sequence) {
        upsert(e.tenantId(), ConfigEntityKinds.OFFER_PIXEL, e.offerId(), sequence, e.pixel(), null);
        changes.announceAfterCommit(ConfigCacheKeys.offerPixel(e.tenantId().value(), e.offerId()));
    }

    @EventHandler
    void on(AffiliateCreatedEvent e) {
        upsert(e.tenantId(), ConfigEntityKinds.AFFILIATE, e.affiliateId(), e.version(), e.profile(), null);
    }

    @EventHandler
    void on(AffiliateUpdatedEvent e) {
        upsert(e.tenantId(), ConfigEntityKinds.AFFILIATE, e.affiliateId(), e.version(), e.profile(), null);
    }

    @EventHandler
    void on(LinkCreatedEvent e) {
        upsert(e.tenantId(), ConfigEntityKinds.LINK, e.linkId(), e.version(), e.settings(), e.code());
    }

    @EventHandler
    void on(LinkUpdatedEvent e) {
        upsert(e.tenantId(), ConfigEntityKinds.LINK, e.linkId(), e.version(), e.settings(), e.code());
    }

    private void upsert(TenantId tenantId, String kind, String id, long version, Object content, String code) {
        ObjectNode body = ConfigCacheJson.MAPPER.createObjectNode();
        body.put("id", id);
        body.put("version", version);
        if (code != null) {
            body.put("code", code);
        }
        body.setAll((ObjectNode) ConfigCacheJson.MAPPER.valueToTree(content));
        jdbc.update("""
                        INSERT INTO config_entity (tenant_id, kind, id, version, body) VALUES (?, ?, ?, ?, ?::jsonb)
                        ON CONFLICT (tenant_id, kind, id) DO UPDATE SET version = excluded.version, body = excluded.body,
                            updated_at = now()
                        WHERE config_entity.version < excluded.version""",
                tenantId.value(), kind, id, version, body.toString());
    }
}
