package io.affnet.platform.config;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;
import org.elasticsearch.client.ResponseException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Tells a projection's transient failure (a store that did not answer, or answered "not now") from a
 * deterministic one (an event the view can never apply). A transient failure fails the batch, which the
 * processor retries until the store is back; a deterministic one is skipped or dead-lettered, so one
 * poison event never stops its processor (docs/operations.md, Projections and store failures).
 */
public final class ProjectionFailures {

    /** Lettuce's and the JDK's connection-level failures, by name (no compile-time dependency on them). */
    private static final Set<String> TRANSIENT_TYPES = Set.of(
            "io.lettuce.core.RedisConnectionException",
            "io.lettuce.core.RedisCommandTimeoutException",
            "io.lettuce.core.RedisCommandInterruptedException",
            "io.lettuce.core.RedisBusyException",
            "org.springframework.data.redis.RedisConnectionFailureException",
            "org.springframework.data.redis.connection.PoolException");

    private ProjectionFailures() {
    }

    /** True when retrying the same event later can succeed: the cause chain holds a store's outage or refusal for now. */
    public static boolean isTransient(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (transientItself(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static boolean transientItself(Throwable t) {
        if (t instanceof com.fasterxml.jackson.core.JacksonException) {
            return false; // an IOException by type, but a document that cannot be read or written: deterministic
        }
        if (t instanceof ResponseException response) {
            return transientStatus(response.getResponse().getStatusLine().getStatusCode());
        }
        if (t instanceof IOException || t instanceof TimeoutException
                || t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException
                || t instanceof DataAccessResourceFailureException || t instanceof CannotCreateTransactionException
                || t instanceof SQLTransientException || t instanceof SQLRecoverableException
                || t instanceof TransportException) {
            return true;
        }
        if (t instanceof SQLException sql && sql.getSQLState() != null) {
            return transientSqlState(sql.getSQLState());
        }
        if (t instanceof ElasticsearchException es) {
            return transientStatus(es.status());
        }
        return TRANSIENT_TYPES.contains(t.getClass().getName());
    }

    /**
     * PostgreSQL's classes: 08 connection, 40 serialization failure and deadlock, 53 insufficient resources,
     * 57 operator intervention (statement timeout, shutdown), 58 system error; 55P03 lock not available.
     */
    static boolean transientSqlState(String state) {
        return state.startsWith("08") || state.startsWith("40") || state.startsWith("53") || state.startsWith("57")
                || state.startsWith("58") || state.equals("55P03");
    }

    /** Elasticsearch's "try again": timeouts, too many requests, and every server-side failure. */
    static boolean transientStatus(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /**
     * What the log may say about a failure: its type, its SQL state if any, and the first line of its
     * innermost message (PostgreSQL's detail lines, which quote row values, are left out).
     */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        String state = null;
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            root = t;
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                state = sql.getSQLState();
            }
        }
        String message = root.getMessage() == null ? "" : root.getMessage();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        if (message.length() > 300) {
            message = message.substring(0, 300) + "…";
        }
        return root.getClass().getSimpleName() + (state == null ? "" : " [SQLState " + state + "]") + ": " + message;
    }
}
