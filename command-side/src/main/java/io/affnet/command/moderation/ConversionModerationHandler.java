package io.affnet.command.moderation;

import io.affnet.api.common.CommandRejection;
import io.affnet.api.conversion.ModerateConversionCommand;
import io.affnet.command.click.ClickIds;
import io.affnet.domain.click.Click;
import io.affnet.domain.click.Moderated;
import io.affnet.domain.click.ModerationRefusedException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/**
 * Routes a moderation to its click, whose own command handler decides it ({@link Click#handle(ModerateConversionCommand)})
 * in one transaction with the append. The click's refusals travel as {@link CommandRejection}s: an
 * unknown conversion (another tenant's or advertiser's included) is not found, a bad value names its
 * field, a status that cannot move that way is a conflict.
 */
@Component
public class ConversionModerationHandler {

    private final Repository<Click> clicks;

    public ConversionModerationHandler(Repository<Click> clicks) {
        this.clicks = clicks;
    }

    @CommandHandler
    public Moderated handle(ModerateConversionCommand command, CommandMessage<?> message) throws Exception {
        try {
            if (!ClickIds.looksValid(command.clickId())) {
                throw new ModerationRefusedException.UnknownConversion(command.conversionId());
            }
            Aggregate<Click> aggregate = clicks.load(command.clickId());
            return (Moderated) aggregate.handle(message);
        } catch (AggregateNotFoundException | ModerationRefusedException.UnknownConversion e) {
            throw new CommandExecutionException("conversion not found", null, CommandRejection.notFound("conversion"));
        } catch (ModerationRefusedException.Invalid e) {
            throw new CommandExecutionException(e.getMessage(), null, CommandRejection.invalid(e.field(), e.getMessage()));
        } catch (ModerationRefusedException.NotAllowed e) {
            throw new CommandExecutionException(e.getMessage(), null, CommandRejection.conflict("invalid-status-change", e.getMessage()));
        }
    }
}
