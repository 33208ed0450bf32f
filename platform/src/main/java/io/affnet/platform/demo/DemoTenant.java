package io.affnet.platform.demo;

import io.affnet.api.common.TenantId;
import io.affnet.api.tenant.RegisterTenantCommand;
import io.affnet.web.auth.ApiKeys;
import org.axonframework.commandhandling.gateway.CommandGateway;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * With {@code affnet.demo.enabled}, registers the tenant {@code demo} on first start and writes its admin
 * key to a file readable only by the owner ({@code affnet.demo.key-file}); on later starts the key is
 * read back from that file, because the platform itself keeps only the key's hash.
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

    public DemoTenant(CommandGateway commands, ApiKeys apiKeys, JdbcTemplate jdbc,
                      @Value("${affnet.demo.key-file:.affnet/demo.key}") String keyFile,
                      @Value("${server.port:8080}") String port) {
        this.commands = commands;
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
        } else {
            tenantId = existing.get(0);
            key = Files.exists(keyFile) ? Files.readString(keyFile).trim().split(" ")[1] : "(lost: delete the demo tenant's database to mint a new one)";
        }
        String base = "http://localhost:" + port;
        // Printed to the console on purpose (not the log): this is the one moment the demo key is shown.
        System.out.println("""

                affnet is up.
                  Demo tenant id : %s
                  Demo admin key : %s   (also in %s)
                  Try            : curl -H 'Authorization: Bearer %s' %s/api/v1/tenants/%s
                  API docs       : %s/swagger-ui.html   (OpenAPI: %s/v3/api-docs)
                  GraphiQL       : %s/graphiql
                  Health         : %s/actuator/health
                """.formatted(tenantId, key, keyFile, key, base, tenantId, base, base, base, base));
        log.info("Demo tenant {} ready", tenantId);
    }
}
