package io.affnet.platform.ops;

import io.affnet.api.common.Role;
import io.affnet.web.auth.Access;
import io.affnet.web.auth.Authorization;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Test only ({@code affnet.clock.steppable=true}, never set in production): the operator moves this node's
 * {@link SteppableClock} by an offset ({@code {"offset":"PT5M"}}, ISO-8601, at most a day either way), for the
 * chaos harness's {@code clock-step} scenario. Absent (404) unless the property is set.
 */
@RestController
@Access(Role.OPERATOR)
@ConditionalOnProperty(name = "affnet.clock.steppable", havingValue = "true")
public class ClockOffsetController {

    private static final Logger log = LoggerFactory.getLogger(ClockOffsetController.class);
    private static final Duration MAX = Duration.ofDays(1);

    private final SteppableClock clock;

    public ClockOffsetController(Clock clock) {
        this.clock = (SteppableClock) clock;
    }

    public record Offset(String offset) {
    }

    @GetMapping(value = "/api/v1/ops/clock-offset", produces = "application/json")
    @Operation(summary = "This node's clock offset (test only: affnet.clock.steppable)", security = @SecurityRequirement(name = "bearer"))
    public Map<String, String> get(Caller caller) {
        Authorization.requireOperator(caller);
        return Map.of("offset", clock.offset().toString(), "now", clock.instant().toString());
    }

    @PutMapping(value = "/api/v1/ops/clock-offset", produces = "application/json")
    @Operation(summary = "Step this node's clock by an offset from the system clock (test only: affnet.clock.steppable)",
            security = @SecurityRequirement(name = "bearer"))
    public Map<String, String> put(Caller caller, @RequestBody(required = false) Offset body) {
        Authorization.requireOperator(caller);
        if (body == null || body.offset() == null) {
            throw ApiProblem.invalid("offset", "an ISO-8601 duration such as PT5M or -PT5M");
        }
        Duration offset;
        try {
            offset = Duration.parse(body.offset());
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid("offset", "an ISO-8601 duration such as PT5M or -PT5M");
        }
        if (offset.abs().compareTo(MAX) > 0) {
            throw ApiProblem.invalid("offset", "at most one day either way");
        }
        clock.offset(offset);
        log.warn("Clock offset set to {} (test only: affnet.clock.steppable)", offset);
        return get(caller);
    }
}
