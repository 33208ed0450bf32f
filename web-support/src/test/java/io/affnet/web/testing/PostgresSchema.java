package io.affnet.web.testing;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;

/**
 * A schema of its own on the real PostgreSQL (the database of {@code AFFNET_DB_URL}, which {@code ./affnet test}
 * sets to its run's database; else {@code affnet_test}), with the platform's own migrations applied, so an
 * adapter is tested against the tables the platform really has. Dropped on {@link #close()}.
 */
public final class PostgresSchema implements AutoCloseable {

    /** The platform's migrations, read from the checkout (the tests run with the module as working directory). */
    static final Path MIGRATIONS = Path.of("..", "platform", "src", "main", "resources", "db", "migration");

    private final String name;
    private final String url;
    private final String user;
    private final String password;
    private final JdbcTemplate admin;
    private final JdbcTemplate jdbc;

    private PostgresSchema(String name, String url, String user, String password) {
        this.name = name;
        this.url = url;
        this.user = user;
        this.password = password;
        this.admin = new JdbcTemplate(new DriverManagerDataSource(url, user, password));
        this.jdbc = new JdbcTemplate(dataSource(null));
    }

    public static PostgresSchema create() {
        if (!Files.isDirectory(MIGRATIONS)) {
            throw new IllegalStateException("No migrations at " + MIGRATIONS.toAbsolutePath() + " (run from the module folder)");
        }
        String url = env("AFFNET_DB_URL", "jdbc:postgresql://127.0.0.1:5432/affnet_test");
        String user = env("AFFNET_DB_USER", "postgres");
        String password = env("AFFNET_DB_PASSWORD", "");
        String name = "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        Flyway.configure().dataSource(url, user, password).schemas(name).createSchemas(true).outOfOrder(true)
                .locations("filesystem:" + MIGRATIONS.toAbsolutePath().normalize()).load().migrate();
        return new PostgresSchema(name, url, user, password);
    }

    /**
     * Connections (a new one each time) whose search path is this schema; {@code applicationName}, when
     * given, names them in {@code pg_stat_activity}, so a test can see one of them wait for a lock.
     */
    public DataSource dataSource(String applicationName) {
        String separator = url.contains("?") ? "&" : "?";
        return new DriverManagerDataSource(url + separator + "currentSchema=" + name
                + (applicationName == null ? "" : "&ApplicationName=" + applicationName), user, password);
    }

    /** Asks the server outside this schema (pg_stat_activity and the like). */
    public JdbcTemplate admin() {
        return admin;
    }

    public String name() {
        return name;
    }

    /** Connections whose search path is this schema. */
    public JdbcTemplate jdbc() {
        return jdbc;
    }

    @Override
    public void close() {
        admin.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
