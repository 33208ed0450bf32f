package io.affnet.command.outbound;

import io.affnet.api.common.Role;
import io.affnet.api.outbound.PostbackTestFire;
import io.affnet.api.outbound.PostbackTestFires;
import io.affnet.api.outbound.RedeliverPostbacksCommand;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Authorization;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Test-firing an affiliate's postback and putting dead-lettered deliveries back in line. The outbound
 * outbox (sagas' {@code delivery}) does both: the test-fire through {@link PostbackTestFires} (a call, so
 * no database transaction waits for the affiliate's server), the redelivery as a command. Its refusals
 * become problem documents here.
 */
@RestController
@RequestMapping("/api/v1/affiliates/{id}")
@Access(Role.TENANT_ADMIN)
public class PostbackDeliveryController {

    private final CommandGateway commands;
    private final PostbackTestFires testFires;

    public PostbackDeliveryController(CommandGateway commands, PostbackTestFires testFires) {
        this.commands = commands;
        this.testFires = testFires;
    }

    public record Redelivered(int redelivered) {
    }

    @PostMapping("/postback/test")
    @Operation(summary = "Fill the affiliate's matching template with sample values, send it signed, and show request and response",
            security = @SecurityRequirement(name = "bearer"))
    public PostbackTestFire testFire(Caller caller, @PathVariable("id") String affiliateId,
                                     @RequestParam(name = "offerId", required = false) String offerId,
                                     @RequestParam(name = "goal", required = false) String goal) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        try {
            return testFires.fire(caller.tenantId(), affiliateId, offerId, goal);
        } catch (PostbackTestFires.Refused e) {
            throw ApiProblem.of(e.rejection());
        }
    }

    @PostMapping("/postback-deliveries/{deliveryId}/redeliver")
    @Operation(summary = "Send a dead-lettered postback again, with a fresh retry budget (tenant admin)",
            security = @SecurityRequirement(name = "bearer"))
    public Redelivered redeliver(Caller caller, @PathVariable("id") String affiliateId,
                                 @PathVariable("deliveryId") String deliveryId) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        return send(new RedeliverPostbacksCommand(caller.tenantId(), affiliateId, deliveryId));
    }

    @PostMapping("/postback-deliveries/redeliver-dead")
    @Operation(summary = "Send all of an affiliate's dead-lettered postbacks again (tenant admin)",
            security = @SecurityRequirement(name = "bearer"))
    public Redelivered redeliverAll(Caller caller, @PathVariable("id") String affiliateId) {
        Authorization.requireRole(caller, Role.TENANT_ADMIN);
        return send(new RedeliverPostbacksCommand(caller.tenantId(), affiliateId, null));
    }

    private Redelivered send(RedeliverPostbacksCommand command) {
        Integer n = commands.sendAndWait(command);
        return new Redelivered(n);
    }
}
