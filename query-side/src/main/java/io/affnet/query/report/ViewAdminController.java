package io.affnet.query.report;

import io.affnet.api.common.Role;
import io.affnet.web.auth.Access;
import io.affnet.projections.report.ReportRebuild;
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

/** Operator actions on the read views: rebuild the report views from the event history without downtime. */
@RestController
@Access(Role.OPERATOR)
public class ViewAdminController {

    private final ReportRebuild rebuild;

    public ViewAdminController(ReportRebuild rebuild) {
        this.rebuild = rebuild;
    }

    @PostMapping("/api/v1/admin/views/{view}/rebuild")
    @Operation(summary = "Rebuild a view (operator): a new index version is filled by replay, then the alias swaps",
            security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<ReportRebuild.Status> start(Caller caller, @PathVariable("view") String view) {
        Authorization.requireOperator(caller);
        requireKnown(view);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(rebuild.start());
    }

    @GetMapping("/api/v1/admin/views/{view}/rebuild")
    @Operation(summary = "Where the last rebuild of a view stands (operator)", security = @SecurityRequirement(name = "bearer"))
    public ReportRebuild.Status status(Caller caller, @PathVariable("view") String view) {
        Authorization.requireOperator(caller);
        requireKnown(view);
        ReportRebuild.Status status = rebuild.status();
        if (status == null) {
            throw ApiProblem.notFound("Rebuild");
        }
        return status;
    }

    private static void requireKnown(String view) {
        if (!ReportRebuild.VIEW.equals(view)) {
            throw ApiProblem.notFound("View '" + view + "'");
        }
    }
}
