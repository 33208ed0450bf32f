package io.affnet.web.problem;

import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLTransientException;

/** Tells a store outage (retry later) apart from a bug, by walking the cause chain. */
public final class StoreFailures {

    /** The problem type (after {@link Problems#TYPE_BASE}) and the words REST and GraphQL answer a store outage with. */
    public static final String PROBLEM_TYPE = "store-unavailable";
    public static final String DETAIL = "A data store the platform needs is unavailable; nothing was changed. Retry shortly.";

    private StoreFailures() {
    }

    public static boolean isStoreUnavailable(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String name = c.getClass().getName();
            if (c instanceof ConnectException || c instanceof java.io.UncheckedIOException
                    || c instanceof SQLTransientException
                    || name.equals("org.springframework.dao.DataAccessResourceFailureException")
                    || name.equals("org.springframework.jdbc.CannotGetJdbcConnectionException")
                    || name.equals("org.springframework.data.redis.RedisConnectionFailureException")
                    || name.equals("org.springframework.dao.QueryTimeoutException")
                    || name.equals("co.elastic.clients.transport.TransportException")
                    || (c instanceof IOException && name.startsWith("org.apache.http"))) {
                return true;
            }
            if (c instanceof java.sql.SQLException sql && sql.getSQLState() != null && busy(sql.getSQLState())) {
                return true;
            }
            for (Class<?> type = c.getClass(); type != null; type = type.getSuperclass()) {
                if (type.getName().equals("org.springframework.dao.TransientDataAccessException")) {
                    return true; // deadlock, serialization failure, lock not available, query timeout
                }
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    /** PostgreSQL's "not now": 40 serialization failure or deadlock, 55P03 lock not available, 57014 statement timeout. */
    private static boolean busy(String state) {
        return state.startsWith("40") || state.equals("55P03") || state.equals("57014") || state.startsWith("08")
                || state.startsWith("53");
    }

    public static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
