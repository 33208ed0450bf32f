package io.affnet.command.views;

import io.affnet.api.common.Role;
import io.affnet.api.report.ReportRebuilds;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Authorization;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operator actions on the read views: rebuild the report views from the event history without downtime.
 * The rebuild is the report projection's; this edge asks for it through the {@link ReportRebuilds} port.
 */
@RestController
@Access(Role.OPERATOR)
public class ViewAdminController {

    private final ReportRebuilds rebuild;

    public ViewAdminController(ReportRebuilds rebuild) {
        this.rebuild = rebuild;
    }

    @PostMapping("/api/v1/admin/views/{view}/rebuild")
    @Operation(summary = "Rebuild a view (operator): a new index version is filled by replay, then the alias swaps",
            security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<ReportRebuilds.Status> start(Caller caller, @PathVariable("view") String view) {
        Authorization.requireOperator(caller);
        requireKnown(view);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(rebuild.start());
    }

    @GetMapping("/api/v1/admin/views/{view}/rebuild")
    @Operation(summary = "Where the last rebuild of a view stands (operator)", security = @SecurityRequirement(name = "bearer"))
    public ReportRebuilds.Status status(Caller caller, @PathVariable("view") String view) {
        Authorization.requireOperator(caller);
        requireKnown(view);
        ReportRebuilds.Status status = rebuild.status();
        if (status == null) {
            throw ApiProblem.notFound("Rebuild");
        }
        return status;
    }

    private static void requireKnown(String view) {
        if (!ReportRebuilds.VIEW.equals(view)) {
            throw ApiProblem.notFound("View '" + view + "'");
        }
    }
}
