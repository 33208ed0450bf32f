package io.affnet.command.config;

import io.affnet.domain.config.InvalidConfigurationException;
import io.affnet.domain.config.NotInTenantException;
import io.affnet.api.common.CommandRejection;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;

import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * What the configuration command handlers share: rule violations become a 400 naming the field, and
 * another tenant's id fails exactly like a missing one (404). The rejection travels as the command
 * failure's details, so it survives a distributed command bus too.
 */
public final class ConfigCommands {

    private ConfigCommands() {
    }

    public static <T> T translating(String what, Callable<T> work) throws Exception {
        try {
            return work.call();
        } catch (InvalidConfigurationException e) {
            throw new CommandExecutionException(e.getMessage(), null, CommandRejection.invalid(e.field(), e.getMessage()));
        } catch (NotInTenantException | AggregateNotFoundException e) {
            throw new CommandExecutionException(what + " not found", null, CommandRejection.notFound(what));
        }
    }

    /** Ids carry their kind, so an id of one kind can never load an aggregate of another. */
    public static String newId(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "");
    }
}
