package io.affnet.query.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.common.Role;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Saved reports of the console and portals: the report builder's settings (period or preset, groups,
 * metrics, drill-down filters, comparison, chart metric) under a name, kept for the principal of the
 * calling key. The tenant's staff (admin, analyst, auditor) may share one with the other staff; an
 * affiliate's or advertiser's saved reports are its own only. Running a saved report goes through
 * {@code GET /api/v1/reports}, so the role's field rules apply to it as to any report.
 */
@RestController
@Access({Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR, Role.AFFILIATE, Role.ADVERTISER})
public class SavedReportController {

    static final int MAX_PER_OWNER = 200;
    static final int MAX_DEFINITION_CHARS = 4000;
    private static final Set<Role> STAFF = Set.of(Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AUDITOR);

    private final SavedReports reports;
    private final ObjectMapper json;
    private final Clock clock;

    public SavedReportController(SavedReports reports, ObjectMapper json, Clock clock) {
        this.reports = reports;
        this.json = json;
        this.clock = clock;
    }

    @Schema(description = "A report to save.")
    public record SavedReportRequest(
            @Schema(description = "1 to 100 characters", example = "Top offers, last 7 days", requiredMode = Schema.RequiredMode.REQUIRED) String name,
            @Schema(description = "The report builder's settings, a JSON object of at most 4000 characters (the console's: preset, "
                    + "from, to, groups, metrics, filters, compare, chartMetric)", example = "{\"preset\":\"last7\",\"groups\":[\"offer\"],"
                    + "\"metrics\":[\"clicks\",\"conversions\"],\"filters\":{},\"compare\":true}", requiredMode = Schema.RequiredMode.REQUIRED)
            Map<String, Object> definition,
            @Schema(description = "Shared with the tenant's other staff (staff keys only); left out = false", example = "false",
                    requiredMode = Schema.RequiredMode.NOT_REQUIRED) Boolean shared) {
    }

    @GetMapping("/api/v1/saved-reports")
    @Operation(summary = "The caller's saved reports and, for staff, those colleagues shared", security = @SecurityRequirement(name = "bearer"))
    public Map<String, Object> list(Caller caller) {
        boolean staff = STAFF.contains(caller.role());
        List<Map<String, Object>> items = reports.visible(caller.tenantId().value(), caller.principalId(), staff).stream()
                .map(r -> item(caller, r.id(), r.name(), read(r.definition()), r.shared(), r.ownerId(), r.createdAt()))
                .toList();
        return Map.of("items", items);
    }

    @PostMapping("/api/v1/saved-reports")
    @Operation(summary = "Save a report for the caller (staff may share it with the tenant's other staff)",
            security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<Map<String, Object>> save(Caller caller, @RequestBody(required = false) SavedReportRequest request) {
        if (request == null) {
            throw ApiProblem.invalid("body", "a JSON body with name and definition is required");
        }
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > 100) {
            throw ApiProblem.invalid("name", "name must be 1 to 100 characters");
        }
        if (request.definition() == null) {
            throw ApiProblem.invalid("definition", "definition must be a JSON object");
        }
        JsonNode tree = json.valueToTree(request.definition());
        String definition = write(tree);
        if (definition.length() > MAX_DEFINITION_CHARS) {
            throw ApiProblem.invalid("definition", "definition must be at most " + MAX_DEFINITION_CHARS + " characters of JSON");
        }
        boolean shared = Boolean.TRUE.equals(request.shared());
        if (shared && !STAFF.contains(caller.role())) {
            throw ApiProblem.invalid("shared", "only the tenant's staff share reports");
        }
        if (reports.countOwned(caller.tenantId().value(), caller.principalId()) >= MAX_PER_OWNER) {
            throw ApiProblem.invalid("name", "at most " + MAX_PER_OWNER + " saved reports each; delete one first");
        }
        String id = "rpt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        Timestamp now = Timestamp.from(clock.instant());
        reports.insert(caller.tenantId().value(), id, caller.principalId(), caller.role().name(), name, definition, shared, now);
        return ResponseEntity.status(HttpStatus.CREATED).body(item(caller, id, name, tree, shared, caller.principalId(), now));
    }

    @DeleteMapping("/api/v1/saved-reports/{id}")
    @Operation(summary = "Delete a saved report: the caller's own, or (tenant admin) one shared with the staff",
            security = @SecurityRequirement(name = "bearer"))
    public ResponseEntity<Void> delete(Caller caller, @PathVariable("id") String id) {
        if (!reports.delete(caller.tenantId().value(), id, caller.principalId(), caller.role() == Role.TENANT_ADMIN)) {
            throw ApiProblem.notFound("Saved report");
        }
        return ResponseEntity.noContent().build();
    }

    private static Map<String, Object> item(Caller caller, String id, String name, JsonNode definition, boolean shared, String owner,
                                            Timestamp createdAt) {
        boolean mine = owner.equals(caller.principalId());
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", id);
        item.put("name", name);
        item.put("definition", definition);
        item.put("shared", shared);
        item.put("mine", mine);
        item.put("deletable", mine || (shared && caller.role() == Role.TENANT_ADMIN));
        item.put("createdAt", createdAt.toInstant());
        return item;
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
