package io.affnet.platform.startup;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Checks, before anything else starts, that PostgreSQL, Redis and Elasticsearch answer. A store that
 * does not answer ends the start with one line naming it, the address tried and how to start it —
 * instead of a screen of stack traces from whichever bean touched it first.
 */
public final class StoreProbe {

    private static final int TIMEOUT_MS = 3000;

    private StoreProbe() {
    }

    public static Optional<String> postgres(String url, String user, String password) {
        Properties props = new Properties();
        props.setProperty("user", user == null ? "" : user);
        props.setProperty("password", password == null ? "" : password);
        // The TCP connect is bounded at 3 s (a closed port is refused at once, a black hole gives up
        // there); the login gets longer: a server that accepted the connection is reachable, and on a
        // loaded machine a cold JVM's first login took more than 3 s (seen in CI's rehearsal, load 40).
        props.setProperty("connectTimeout", "3");
        props.setProperty("loginTimeout", "15");
        try (Connection c = DriverManager.getConnection(url, props)) {
            c.isValid(3);
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of("PostgreSQL is not reachable at " + url + " (" + firstLine(e.getMessage())
                    + "). Start it with './affnet services up' (or: pg_ctlcluster <version> main start), "
                    + "or set AFFNET_DB_URL.");
        }
    }

    public static Optional<String> redis(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] buffer = new byte[64];
            InputStream in = socket.getInputStream();
            int n = in.read(buffer);
            String answer = n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
            if (answer.startsWith("+PONG") || answer.startsWith("-NOAUTH")) {
                return Optional.empty();
            }
            return Optional.of("Redis at " + host + ":" + port + " answered '" + answer.trim()
                    + "' to PING. Start Redis with './affnet services up', or set AFFNET_REDIS_HOST/AFFNET_REDIS_PORT.");
        } catch (IOException e) {
            return Optional.of("Redis is not reachable at " + host + ":" + port + " (" + firstLine(e.getMessage())
                    + "). Start it with './affnet services up' (or: redis-server --daemonize yes), "
                    + "or set AFFNET_REDIS_HOST/AFFNET_REDIS_PORT.");
        }
    }

    public static Optional<String> elasticsearch(String baseUrl) {
        String url = baseUrl.replaceAll("/+$", "") + "/_cluster/health";
        try {
            HttpURLConnection http = (HttpURLConnection) URI.create(url).toURL().openConnection();
            http.setConnectTimeout(TIMEOUT_MS);
            http.setReadTimeout(TIMEOUT_MS);
            int status = http.getResponseCode();
            http.disconnect();
            if (status == 200) {
                return Optional.empty();
            }
            return Optional.of("Elasticsearch at " + baseUrl + " answered HTTP " + status
                    + " to /_cluster/health. Start it with './affnet services up', or set AFFNET_ES_URL.");
        } catch (IOException | IllegalArgumentException e) {
            return Optional.of("Elasticsearch is not reachable at " + baseUrl + " (" + firstLine(e.getMessage())
                    + "). Start it with './affnet services up', or set AFFNET_ES_URL.");
        }
    }

    public static List<String> probeAll(Environment env) {
        List<String> failures = new ArrayList<>();
        postgres(env.getProperty("spring.datasource.url", ""), env.getProperty("spring.datasource.username"),
                env.getProperty("spring.datasource.password")).ifPresent(failures::add);
        redis(env.getProperty("spring.data.redis.host", "127.0.0.1"),
                env.getProperty("spring.data.redis.port", Integer.class, 6379)).ifPresent(failures::add);
        String es = env.getProperty("spring.elasticsearch.uris", "http://127.0.0.1:9200").split(",")[0].trim();
        elasticsearch(es).ifPresent(failures::add);
        return failures;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no answer";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** Runs the probe once the configuration is known, before any bean is created. */
    public static final class OnEnvironmentPrepared implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {
        @Override
        public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
            if (!event.getEnvironment().getProperty("affnet.startup-probe.enabled", Boolean.class, true)) {
                return;
            }
            List<String> failures = probeAll(event.getEnvironment());
            if (!failures.isEmpty()) {
                failures.forEach(line -> System.err.println("affnet: cannot start: " + line));
                System.exit(3);
            }
        }
    }
}
