package io.affnet.platform.audit;

import io.affnet.platform.config.JsonConfiguration;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ./affnet audit verify}: recomputes the chains and checkpoints, straight from the database
 * ({@code [--tenant ID]}, AFFNET_DB_URL/USER/PASSWORD) or from an NDJSON export ({@code --export FILE}), and
 * prints {@code verified events=<n> tenants=<n> checkpoints=<n>} or the first broken link with its global
 * position (exit code 1). Public keys: {@code --key keyId=base64X509} (repeatable), else derived from
 * AFFNET_AUDIT_SIGNING_KEYS, else the development key.
 */
public final class AuditVerifyMain {

    private AuditVerifyMain() {
    }

    public static void main(String[] args) throws IOException {
        try {
            System.exit(run(args, System.out));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: ./affnet audit verify [--tenant ID] | --export FILE.ndjson [--key keyId=base64X509 ...]");
            System.exit(2);
        }
    }

    /** Verifies as the arguments say, prints the result line; returns the exit code (0 verified, 1 broken); bad arguments throw. */
    public static int run(String[] args, java.io.PrintStream out) throws IOException {
        String tenant = null;
        String export = null;
        Map<String, String> publicKeys = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--tenant" -> tenant = value(args, ++i);
                case "--export" -> export = value(args, ++i);
                case "--key" -> {
                    String k = value(args, ++i);
                    int eq = k.indexOf('=');
                    if (eq <= 0) {
                        usage("--key takes keyId=base64 public key");
                    }
                    publicKeys.put(k.substring(0, eq), k.substring(eq + 1));
                }
                default -> usage("unknown argument " + args[i]);
            }
        }
        AuditKeys keys;
        if (!publicKeys.isEmpty()) {
            keys = AuditKeys.verifying(publicKeys);
        } else {
            String seeds = System.getenv("AFFNET_AUDIT_SIGNING_KEYS");
            keys = AuditKeys.fromSeeds(seeds == null || seeds.isBlank() ? AuditConfiguration.DEVELOPMENT_KEYS : seeds, null);
        }
        ChainVerifier.Result result;
        if (export != null) {
            try (Stream<String> lines = Files.lines(Path.of(export))) {
                result = OfflineVerifier.verify(lines::iterator, keys);
            }
        } else {
            result = fromDatabase(tenant, keys);
        }
        out.println(result.line());
        return result.verified() ? 0 : 1;
    }

    private static ChainVerifier.Result fromDatabase(String tenant, AuditKeys keys) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(env("AFFNET_DB_URL", "jdbc:postgresql://127.0.0.1:5432/affnet"));
        ds.setUser(env("AFFNET_DB_USER", "postgres"));
        String password = System.getenv("AFFNET_DB_PASSWORD");
        if (password != null && !password.isEmpty()) {
            ds.setPassword(password);
        }
        ConnectionProvider connections = ds::getConnection;
        JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(JsonConfiguration.storageMapper()).build();
        JdbcEventStorageEngine.Builder builder = JdbcEventStorageEngine.builder()
                .snapshotSerializer(serializer)
                .eventSerializer(serializer)
                .connectionProvider(connections)
                .transactionManager(NoTransactionManager.INSTANCE)
                .schema(new EventSchema())
                .batchSize(5000);
        ChainedEventStorageEngine engine = new ChainedEventStorageEngine(builder, connections, NoTransactionManager.INSTANCE, serializer);
        return new AuditVerification(engine, ds, keys, JsonConfiguration.storageMapper(), 5000).verify(tenant);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        throw new IllegalArgumentException(problem);
    }
}
