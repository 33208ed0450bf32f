package io.affnet.projections.config;

import io.affnet.api.config.ConfigCacheKeys;
import io.affnet.api.config.LocalConfigCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A same-transaction projection's change drops this node's cached copy on the committing thread right after
 * the commit (so the change's request is answered only after it), never before the commit nor after a rollback,
 * and also when Redis cannot take the announcement for the other nodes.
 */
class ConfigChangesTest {

    private final List<String> dropped = new CopyOnWriteArrayList<>();
    private LettuceConnectionFactory connections;

    private ConfigChanges changes(int redisPort) {
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redisPort));
        connections.afterPropertiesSet();
        connections.start();
        LocalConfigCache cache = dropped::add;
        return new ConfigChanges(new StringRedisTemplate(connections),
                new StaticListableBeanFactory(Map.of("cache", cache)).getBeanProvider(LocalConfigCache.class));
    }

    @AfterEach
    void tearDown() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.clearSynchronization();
        }
        connections.destroy();
    }

    @Test
    void theLocalCopyIsDroppedAtTheCommitNotBefore() {
        ConfigChanges changes = changes(6379);
        String key = ConfigCacheKeys.offerPixel("t_a", "off_1");
        TransactionSynchronizationManager.initSynchronization();
        changes.announceAfterCommit(key);
        assertThat(dropped).as("before the commit the old row is still the committed one").isEmpty();

        List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();
        TransactionSynchronizationUtils.invokeAfterCommit(synchronizations);
        assertThat(dropped).containsExactly(key);
    }

    @Test
    void aRolledBackChangeDropsNothing() {
        ConfigChanges changes = changes(6379);
        TransactionSynchronizationManager.initSynchronization();
        changes.announceAfterCommit(ConfigCacheKeys.offerPixel("t_a", "off_2"));
        TransactionSynchronizationUtils.invokeAfterCompletion(TransactionSynchronizationManager.getSynchronizations(),
                TransactionSynchronization.STATUS_ROLLED_BACK);
        assertThat(dropped).isEmpty();
    }

    @Test
    void withoutRedisTheLocalCopyIsStillDropped() {
        // Port 1: nothing listens; the announcement fails (logged), this node's copy goes all the same.
        ConfigChanges changes = changes(1);
        String key = ConfigCacheKeys.advertiser("t_a", "adv_1");
        changes.announceAfterCommit(key);
        assertThat(dropped).containsExactly(key);
    }
}
