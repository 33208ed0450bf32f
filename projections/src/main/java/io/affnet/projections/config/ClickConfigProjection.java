package io.affnet.projections.config;

import io.affnet.api.affiliate.AffiliateCreatedEvent;
import io.affnet.api.affiliate.AffiliateUpdatedEvent;
import io.affnet.api.config.CachedAffiliate;
import io.affnet.api.config.CachedLink;
import io.affnet.api.config.CachedOffer;
import io.affnet.api.config.ConfigCacheJson;
import io.affnet.api.config.ConfigCacheKeys;
import io.affnet.api.link.LinkCreatedEvent;
import io.affnet.api.link.LinkUpdatedEvent;
import io.affnet.api.offer.OfferCreatedEvent;
import io.affnet.api.offer.OfferUpdatedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Feeds the click path's lookup cache in Redis (layout: {@link ConfigCacheKeys}) with the current
 * offers, affiliates and links, and announces each changed key on {@link ConfigCacheKeys#CHANNEL} so
 * every node drops its in-process copy. Runs as a pooled streaming processor: the click path reads
 * Redis, never the event store.
 */
@Component
@ProcessingGroup(ClickConfigProjection.GROUP)
public class ClickConfigProjection {

    public static final String GROUP = io.affnet.projections.ProcessingGroups.CORE_VIEWS;

    /**
     * Compare-and-set by version in one step, so two segments or an old replay can never put an older
     * version over a newer one; an equal version is rewritten, which makes a replay idempotent.
     */
    static final RedisScript<Long> WRITE_IF_NOT_OLDER = RedisScript.of("""
            local current = redis.call('GET', KEYS[1])
            if current then
              local ok, decoded = pcall(cjson.decode, current)
              if ok and type(decoded) == 'table' and tonumber(decoded['version'])
                 and tonumber(decoded['version']) > tonumber(ARGV[2]) then
                return 0
              end
            end
            redis.call('SET', KEYS[1], ARGV[1])
            redis.call('PUBLISH', ARGV[3], KEYS[1])
            return 1""", Long.class);

    private final StringRedisTemplate redis;

    public ClickConfigProjection(StringRedisTemplate redis) {
        this.redis = redis;
    }

    @EventHandler
    void on(OfferCreatedEvent e) {
        write(ConfigCacheKeys.offer(e.tenantId().value(), e.offerId()), e.version(),
                new CachedOffer(e.tenantId().value(), e.offerId(), e.version(), e.terms()));
    }

    @EventHandler
    void on(OfferUpdatedEvent e) {
        write(ConfigCacheKeys.offer(e.tenantId().value(), e.offerId()), e.version(),
                new CachedOffer(e.tenantId().value(), e.offerId(), e.version(), e.terms()));
    }

    @EventHandler
    void on(AffiliateCreatedEvent e) {
        write(ConfigCacheKeys.affiliate(e.tenantId().value(), e.affiliateId()), e.version(),
                new CachedAffiliate(e.tenantId().value(), e.affiliateId(), e.version(), e.profile()));
    }

    @EventHandler
    void on(AffiliateUpdatedEvent e) {
        write(ConfigCacheKeys.affiliate(e.tenantId().value(), e.affiliateId()), e.version(),
                new CachedAffiliate(e.tenantId().value(), e.affiliateId(), e.version(), e.profile()));
    }

    @EventHandler
    void on(LinkCreatedEvent e) {
        write(ConfigCacheKeys.link(e.code()), e.version(),
                new CachedLink(e.tenantId().value(), e.linkId(), e.code(), e.version(), e.settings()));
    }

    @EventHandler
    void on(LinkUpdatedEvent e) {
        write(ConfigCacheKeys.link(e.code()), e.version(),
                new CachedLink(e.tenantId().value(), e.linkId(), e.code(), e.version(), e.settings()));
    }

    private void write(String key, long version, Object value) {
        redis.execute(WRITE_IF_NOT_OLDER, List.of(key), ConfigCacheJson.write(value), Long.toString(version),
                ConfigCacheKeys.CHANNEL);
    }

    @ResetHandler
    void reset() {
        // Nothing is deleted: a replay rewrites every key with the same or a newer version, and clearing
        // first would make live links answer 404 until the replay reached them.
    }
}
