package io.affnet.platform.config;

import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.redis.RedisConnectionFailureException;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which projection failures are retried (transient) and which are skipped or dead-lettered. */
class ProjectionFailuresTest {

    @Test
    void storeOutagesAndNotNowAnswersAreTransient() {
        assertThat(ProjectionFailures.isTransient(new UncheckedIOException(new ConnectException("refused")))).isTrue();
        assertThat(ProjectionFailures.isTransient(new RedisConnectionFailureException("down"))).isTrue();
        assertThat(ProjectionFailures.isTransient(new CannotAcquireLockException("x", new SQLException("x", "40001")))).isTrue();
        assertThat(ProjectionFailures.isTransient(new RuntimeException(new SQLException("deadlock", "40P01")))).isTrue();
        assertThat(ProjectionFailures.isTransient(new RuntimeException(new SQLException("cancelled", "57014")))).isTrue();
        assertThat(ProjectionFailures.isTransient(new RuntimeException(new SQLException("gone", "08006")))).isTrue();
    }

    @Test
    void eventsTheViewCanNeverTakeAreNot() {
        assertThat(ProjectionFailures.isTransient(new DataIntegrityViolationException("x", new SQLException("check", "23514")))).isFalse();
        assertThat(ProjectionFailures.isTransient(new RuntimeException(new SQLException("too long", "22001")))).isFalse();
        assertThat(ProjectionFailures.isTransient(new NullPointerException())).isFalse();
        assertThat(ProjectionFailures.isTransient(new IllegalArgumentException(
                new com.fasterxml.jackson.core.JsonParseException(null, "bad json")))).isFalse();
    }

    @Test
    void theLogLineLeavesOutPostgresDetailLines() {
        String line = ProjectionFailures.describe(new RuntimeException(new SQLException(
                "ERROR: null value in column \"x\"\n  Detail: Failing row contains (secret-value)", "23502")));
        assertThat(line).contains("23502").contains("null value").doesNotContain("secret-value");
    }
}
