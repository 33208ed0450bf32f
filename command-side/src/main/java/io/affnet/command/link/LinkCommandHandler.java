package io.affnet.command.link;

import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.api.link.CreateLinkCommand;
import io.affnet.api.link.UpdateLinkCommand;
import io.affnet.command.config.ConfigCommands;
import io.affnet.command.config.ConfigLookup;
import io.affnet.domain.link.Link;
import io.affnet.api.common.CommandRejection;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Issues and changes tracking links. A link's code is claimed in {@code link_code} inside the command's
 * transaction (the connection the event store appends on), so the claim and {@code LinkCreatedEvent}
 * commit together or not at all; its affiliate and offers must be the tenant's.
 */
@Component
public class LinkCommandHandler {

    public static final String DUPLICATE_CODE = "duplicate-link-code";

    private final Repository<Link> links;
    private final ConfigLookup lookup;
    private final JdbcTemplate jdbc;

    public LinkCommandHandler(Repository<Link> links, ConfigLookup lookup, JdbcTemplate jdbc) {
        this.links = links;
        this.lookup = lookup;
        this.jdbc = jdbc;
    }

    @CommandHandler
    public String handle(CreateLinkCommand command) throws Exception {
        return ConfigCommands.translating("Link", () -> {
            links.newInstance(() -> new Link(command, lookup));
            try {
                jdbc.update("INSERT INTO link_code (code, tenant_id, link_id) VALUES (?, ?, ?)",
                        command.code(), command.tenantId().value(), command.linkId());
            } catch (DuplicateKeyException e) {
                throw new CommandExecutionException("link code taken", null,
                        CommandRejection.conflict(DUPLICATE_CODE, "The link code is already in use."));
            }
            return command.linkId();
        });
    }

    @CommandHandler
    public Long handle(UpdateLinkCommand command) throws Exception {
        return ConfigCommands.translating("Link", () -> {
            lookup.requireTarget(command.tenantId(), ConfigEntityKinds.LINK, command.linkId(), "Link");
            Aggregate<Link> link = links.load(command.linkId());
            link.execute(l -> l.handle(command, lookup));
            return link.invoke(Link::version);
        });
    }
}
