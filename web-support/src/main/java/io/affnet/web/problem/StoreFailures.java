package io.affnet.web.problem;

import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLTransientException;

/** Tells a store outage (retry later) apart from a bug, by walking the cause chain. */
public final class StoreFailures {

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
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    public static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
