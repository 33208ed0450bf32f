package io.affnet.platform.demo;

import io.affnet.api.common.TenantId;
import io.affnet.api.tenant.RegisterTenantCommand;
import io.affnet.web.auth.ApiKeys;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * With {@code affnet.demo.enabled}, registers the tenant {@code demo} on first start and writes its admin
 * key to a file readable only by the owner ({@code affnet.demo.key-file}); on later starts the key is
 * read back from that file, because the platform itself keeps only the key's hash. With
 * {@code affnet.demo.seed} (default on; {@code AFFNET_DEMO_SEED=false} turns it off) a new demo tenant is
 * filled with a small network and 30 days of history ({@link DemoNetwork}), and an affiliate and an
 * advertiser key are added to the file and printed with the dashboard's URL.
 */
@Component
@ConditionalOnProperty(name = "affnet.demo.enabled", havingValue = "true")
public class DemoTenant {

    private static final Logger log = LoggerFactory.getLogger(DemoTenant.class);

    private final CommandGateway commands;
    private final ApiKeys apiKeys;
    private final JdbcTemplate jdbc;
    private final Path keyFile;
    private final String port;
    private final boolean seed;
    private final int historyDays;
    private final EventStore eventStore;

    public DemoTenant(CommandGateway commands, ApiKeys apiKeys, JdbcTemplate jdbc, EventStore eventStore,
                      @Value("${affnet.demo.key-file:.affnet/demo.key}") String keyFile,
                      @Value("${server.port:8080}") String port,
                      @Value("${affnet.demo.seed:true}") boolean seed,
                      @Value("${affnet.demo.history-days:29}") int historyDays) {
        this.commands = commands;
        this.eventStore = eventStore;
        this.seed = seed;
        this.historyDays = historyDays;
        this.apiKeys = apiKeys;
        this.jdbc = jdbc;
        this.keyFile = Path.of(keyFile);
        this.port = port;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void ensureDemoTenant() throws IOException {
        List<String> existing = jdbc.queryForList("SELECT tenant_id FROM tenant_slug WHERE slug = 'demo'", String.class);
        String tenantId;
        String key;
        if (existing.isEmpty()) {
            TenantId id = TenantId.generate();
            ApiKeys.Minted minted = apiKeys.mint();
            commands.sendAndWait(new RegisterTenantCommand(id, "demo", "Demo Network", "Europe/Berlin", "EUR",
                    minted.keyId(), minted.hash(), minted.displayPrefix()));
            tenantId = id.value();
            key = minted.key();
            Files.createDirectories(keyFile.toAbsolutePath().getParent());
            Files.writeString(keyFile, tenantId + " " + key + "\n");
            try {
                Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the file keeps the default permissions
            }
            if (seed) {
                try {
                    DemoNetwork.Seeded seeded = new DemoNetwork("http://127.0.0.1:" + port, key, tenantId,
                            ZoneId.of("Europe/Berlin"), eventStore).seed(historyDays);
                    Files.writeString(keyFile, "affiliate " + seeded.affiliateKey() + " " + seeded.affiliateName() + "\n"
                            + "advertiser " + seeded.advertiserKey() + " " + seeded.advertiserName() + "\n", StandardOpenOption.APPEND);
                } catch (IOException | RuntimeException e) {
                    log.warn("Demo network not (fully) seeded: {}", e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        } else {
            tenantId = existing.get(0);
            key = Files.exists(keyFile) ? Files.readAllLines(keyFile).get(0).trim().split(" ")[1] : "(lost: delete the demo tenant's database to mint a new one)";
        }
        String base = "http://localhost:" + port;
        StringBuilder portals = new StringBuilder();
        if (Files.exists(keyFile)) {
            for (String line : Files.readAllLines(keyFile)) {
                String[] parts = line.split(" ", 3);
                if (parts.length == 3 && (parts[0].equals("affiliate") || parts[0].equals("advertiser"))) {
                    portals.append("  Demo %-10s: %s   (%s; the %s portal)%n".formatted(parts[0], parts[1], parts[2], parts[0]));
                }
            }
        }
        // Printed to the console on purpose (not the log): this is the one moment the demo key is shown.
        System.out.println("""

                affnet is up.
                  Demo tenant id : %s
                  Demo admin key : %s   (also in %s)
                %s  Dashboard      : %s/dashboard/index.html   (sign in with a key above)
                  Try            : curl -H 'Authorization: Bearer %s' %s/api/v1/tenants/%s
                  API docs       : %s/swagger-ui.html   (OpenAPI: %s/v3/api-docs)
                  GraphiQL       : %s/graphiql
                  Health         : %s/actuator/health
                """.formatted(tenantId, key, keyFile, portals, base, key, base, tenantId, base, base, base, base));
        log.info("Demo tenant {} ready", tenantId);
    }
}
