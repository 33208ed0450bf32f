package io.affnet.projections.config;

import io.affnet.api.config.ConfigCacheKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Announces a changed read-model row on {@link ConfigCacheKeys#CHANNEL} for the same-transaction
 * projections (postback tokens and settings, advertisers), so every node drops its in-process copy.
 * The announcement waits for the commit: sent earlier, a node could re-read the old row and keep it.
 */
@Component
public class ConfigChanges {

    private static final Logger log = LoggerFactory.getLogger(ConfigChanges.class);

    private final StringRedisTemplate redis;

    public ConfigChanges(StringRedisTemplate redis) {
        this.redis = redis;
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
        try {
            redis.convertAndSend(ConfigCacheKeys.CHANNEL, key);
        } catch (RuntimeException e) {
            // The key is not logged: a token's names its hash. Other nodes catch up when their entry expires.
            log.warn("A configuration change could not be announced to the other nodes: {}", e.toString());
        }
    }
}
