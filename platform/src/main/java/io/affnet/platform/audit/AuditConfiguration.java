package io.affnet.platform.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.platform.config.JsonConfiguration;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;

/** The audit trail: history reads, chain verification, checkpoint keys and their schedule (docs/audit.md). */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AuditConfiguration.class);

    /** Development only: a well-known seed, so a fresh checkout's checkpoints verify after a restart. */
    static final String DEVELOPMENT_KEYS = "dev-1:YWZmbmV0LWRldmVsb3BtZW50LWF1ZGl0LWtleS0wMDE=";

    @Bean
    AuditKeys auditKeys(@Value("${affnet.audit.signing-keys:}") String spec, @Value("${affnet.audit.signing-key-id:}") String activeId) {
        if (spec == null || spec.isBlank()) {
            log.warn("affnet.audit.signing-keys (AFFNET_AUDIT_SIGNING_KEYS) is not set: checkpoints are signed with the public "
                    + "development key dev-1, which proves nothing; set your own key in production");
            spec = DEVELOPMENT_KEYS;
        }
        return AuditKeys.fromSeeds(spec, activeId);
    }

    private static ChainedEventStorageEngine chained(EventStorageEngine engine) {
        if (engine instanceof ChainedEventStorageEngine c) {
            return c;
        }
        throw new IllegalStateException("the audit trail needs the platform's JDBC event store (ChainedEventStorageEngine), found "
                + engine.getClass().getName());
    }

    @Bean
    AuditHistory auditHistory(EventStorageEngine engine, DataSource dataSource) {
        return new AuditHistory(chained(engine), dataSource);
    }

    @Bean
    AuditState auditState(AuditHistory history, JdbcTemplate jdbc,
                          org.springframework.beans.factory.ObjectProvider<io.affnet.platform.eventstore.JdbcEventBatches> batches) {
        io.affnet.platform.eventstore.JdbcEventBatches jdbcBatches = batches.getIfAvailable();
        return new AuditState(history, jdbcBatches == null ? null : new TenantReplay(jdbcBatches), jdbc);
    }

    @Bean
    AuditVerification auditVerification(EventStorageEngine engine, DataSource dataSource, AuditKeys keys,
                                        @Value("${affnet.audit.verify-batch-size:5000}") int batchSize) {
        return new AuditVerification(chained(engine), dataSource, keys, JsonConfiguration.storageMapper(), batchSize);
    }

    @Bean(destroyMethod = "close")
    AuditCheckpoints auditCheckpoints(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, EventStore eventStore,
                                      AuditKeys keys, Clock clock,
                                      @Value("${affnet.audit.checkpoint-interval:1h}") Duration interval) {
        return new AuditCheckpoints(jdbc, new TransactionTemplate(transactionManager), eventStore, keys, clock, interval);
    }
}
