package io.affnet.command.tenant;

import io.affnet.api.common.Role;
import io.affnet.api.tenant.ConfigureReportSharingCommand;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Whether the tenant's advertisers see who sent their traffic (the read side is {@code GET /api/v1/report-sharing}). */
@RestController
public class ReportSharingController {

    /** {@code advertisersSeeAffiliates}: advertisers' reports and logs show affiliate, link, sub ids and source. */
    public record ReportSharingRequest(
            @Schema(description = "Whether the tenant's advertisers see who sent their traffic (affiliate, link, sub ids,"
                    + " source) in reports and logs; off by default.", example = "false",
                    requiredMode = Schema.RequiredMode.REQUIRED) Boolean advertisersSeeAffiliates) {
    }

    private final CommandGateway commands;

    public ReportSharingController(CommandGateway commands) {
        this.commands = commands;
    }

    @PutMapping("/api/v1/report-sharing")
    @Access(Role.TENANT_ADMIN)
    @Operation(summary = "Let advertisers see who sent their traffic (affiliate, link, subs, source) in reports and logs, or not (default)",
            security = @SecurityRequirement(name = "bearer"))
    public ReportSharingRequest configure(Caller caller, @RequestBody ReportSharingRequest request) {
        if (request == null || request.advertisersSeeAffiliates() == null) {
            throw ApiProblem.invalid("advertisersSeeAffiliates", "advertisersSeeAffiliates (true or false) is required");
        }
        commands.sendAndWait(new ConfigureReportSharingCommand(caller.tenantId(), request.advertisersSeeAffiliates()));
        return request;
    }
}
