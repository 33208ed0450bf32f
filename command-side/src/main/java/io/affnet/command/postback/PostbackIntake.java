package io.affnet.command.postback;

import io.affnet.api.common.TenantId;
import io.affnet.api.conversion.ConversionInput;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.conversion.FraudRules;
import io.affnet.api.conversion.PixelReport;
import io.affnet.api.conversion.RecordConversionCommand;
import io.affnet.api.tenant.PostbackSettings;
import io.affnet.command.click.ClickIds;
import io.affnet.domain.click.CustomerEmails;
import io.affnet.web.problem.ApiProblem;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns a parsed report into a command on its click and returns what the advertiser is told. Shared by
 * the server-to-server postback and the browser pixel. Commands go through the {@link ConversionBatcher}
 * (group commit) when it runs (a full queue, or a command that waited longer than
 * {@code affnet.conversion.max-wait}, is answered 503 unhandled), else through the command bus, one
 * transaction each. Two nodes writing the same click at once is resolved by the event store's sequence
 * constraint; the loser is retried and then sees the winner.
 */
@Component
public class PostbackIntake {

    private static final int ATTEMPTS = 4;

    private final CommandGateway commands;
    private final Clock clock;
    private final ConversionBatcher batcher;
    private final long waitMillis;

    public PostbackIntake(CommandGateway commands, Clock clock, ObjectProvider<ConversionBatcher> batcher,
                          @Value("${affnet.conversion.batching:true}") boolean batching,
                          @Value("${affnet.conversion.wait-ms:30000}") long waitMillis) {
        this.commands = commands;
        this.clock = clock;
        this.batcher = batching ? batcher.getIfAvailable() : null;
        this.waitMillis = waitMillis;
    }

    /**
     * Reports and waits for the outcome (the pixel). {@code settings} null: use the click's tenant's (the
     * pixel knows no tenant before the click is loaded).
     */
    public PostbackOutcome report(TenantId tenant, String clickId, PostbackParser.Parsed p, PostbackSettings settings,
                                  String channel, String expectedOfferId, String senderIp, PixelReport pixel) {
        CompletableFuture<PostbackOutcome> outcome = submit(tenant, clickId, p, settings, channel, expectedOfferId,
                senderIp, pixel, null);
        try {
            return outcome.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            // The conversion may still be recorded; a retried postback is then answered 'duplicate'.
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "postback-busy",
                    "The conversion could not be confirmed in time; send the postback again.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "postback-busy", "The platform is shutting down.");
        }
    }

    /**
     * Reports without waiting: the future completes with the outcome once the conversion is committed
     * (or fails with the refusal). Input the platform cannot accept is thrown at once.
     */
    public CompletableFuture<PostbackOutcome> submit(TenantId tenant, String clickId, PostbackParser.Parsed p,
                                                     PostbackSettings settings, String channel, String expectedOfferId,
                                                     String senderIp) {
        return submit(tenant, clickId, p, settings, channel, expectedOfferId, senderIp, null, null);
    }

    /**
     * {@code pixel}: set for a browser pixel, whose report the click's offer's pixel rule judges first;
     * {@code advertiserScope}: the advertiser whose own token authenticated the report (null for a tenant token).
     */
    public CompletableFuture<PostbackOutcome> submit(TenantId tenant, String clickId, PostbackParser.Parsed p,
                                                     PostbackSettings settings, String channel, String expectedOfferId,
                                                     String senderIp, PixelReport pixel, String advertiserScope) {
        ConversionStatus status = (settings == null ? PostbackSettings.defaults() : settings).status(p.status());
        if (status == null) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "unknown-status", "Status '" + p.status()
                    + "' is not a known status word or code; configure it in the tenant's postback settings.");
        }
        // Without the tenant's settings at hand (a pixel), the click's tenant's rules are applied by the handler.
        FraudRules fraud = settings == null ? null : settings.fraud() == null ? FraudRules.defaults() : settings.fraud();
        ConversionInput input = new ConversionInput(p.goal(), p.transactionId(), p.amount(), p.currency(), status,
                clock.instant(), channel, CustomerEmails.hash(p.customerEmail()));
        RecordConversionCommand command = new RecordConversionCommand(clickId, tenant, "cv_" + ClickIds.next(), input,
                fraud, null, null, expectedOfferId, senderIp, pixel, advertiserScope);
        CompletableFuture<PostbackOutcome> queued = batcher == null ? null : batcher.submit(command);
        return queued != null ? queued : CompletableFuture.completedFuture(viaCommandBus(commands, command));
    }

    /** One command in a transaction of its own, retried when another writer appended to the click first. */
    static PostbackOutcome viaCommandBus(CommandGateway commands, RecordConversionCommand command) {
        for (int attempt = 1; ; attempt++) {
            try {
                return commands.sendAndWait(command);
            } catch (ConcurrencyException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
