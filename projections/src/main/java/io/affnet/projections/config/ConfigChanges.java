package io.affnet.projections.config;

import io.affnet.api.config.ConfigCacheKeys;
import io.affnet.api.config.LocalConfigCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Announces a changed read-model row on {@link ConfigCacheKeys#CHANNEL} for the same-transaction
 * projections (postback tokens and settings, advertisers, offers' pixels), so every node drops its
 * in-process copy. This node drops its own ({@link LocalConfigCache}) right after the commit, on the
 * committing thread, so the request that made the change is answered only after it: the announcement
 * reaches this node's listener later, and a request sent right after the answer was judged by the old
 * copy. The announcement waits for the commit: sent earlier, a node could re-read the old row and keep it.
 */
@Component
public class ConfigChanges {

    private static final Logger log = LoggerFactory.getLogger(ConfigChanges.class);

    private final StringRedisTemplate redis;
    private final ObjectProvider<LocalConfigCache> local;

    public ConfigChanges(StringRedisTemplate redis, ObjectProvider<LocalConfigCache> local) {
        this.redis = redis;
        this.local = local;
    }

    public void announceAfterCommit(String key) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            announce(key);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                announce(key);
            }
        });
    }

    private void announce(String key) {
        local.forEach(cache -> cache.invalidate(key));
        try {
            redis.convertAndSend(ConfigCacheKeys.CHANNEL, key);
        } catch (RuntimeException e) {
            // The key is not logged: a token's names its hash. Other nodes catch up when their entry expires.
            log.warn("A configuration change could not be announced to the other nodes: {}", e.toString());
        }
    }
}
