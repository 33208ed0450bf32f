package io.affnet.command.postback;

import io.affnet.api.common.TenantId;
import io.affnet.web.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET|POST /postback}: advertisers report conversions server to server, in the parameter
 * shapes of the trackers they already use. The tenant is the one whose postback token is presented.
 */
@RestController
public class PostbackController {

    private final PostbackCredentials credentials;
    private final PostbackIntake intake;
    private final StringRedisTemplate redis;
    private final JdbcTemplate jdbc;
    private final String clientIpHeader;
    private final io.affnet.command.click.ClickConfigCache config;

    public PostbackController(PostbackCredentials credentials, PostbackIntake intake, StringRedisTemplate redis,
                              JdbcTemplate jdbc, @Value("${affnet.click.client-ip-header:}") String clientIpHeader,
                              io.affnet.command.click.ClickConfigCache config) {
        this.clientIpHeader = clientIpHeader;
        this.config = config;
        this.credentials = credentials;
        this.intake = intake;
        this.redis = redis;
        this.jdbc = jdbc;
    }

    @RequestMapping(path = "/postback", method = {RequestMethod.GET, RequestMethod.POST}, produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "Report a conversion (server-to-server postback)",
            description = "Parameters: click id (click_id|clickid|cid|subid|transaction_id|cnv_id), transaction id "
                    + "(txn_id|txid|tid|adv_sub|order_id), goal (goal|event|et), sale amount (amount|sale_amount|payout|sum; "
                    + "decimal comma accepted), currency, status (word or code), token. Answers 'accepted', 'duplicate' or "
                    + "'rejected:<reason>'.")
    public ResponseEntity<String> postback(HttpServletRequest request,
                                           @Parameter(description = "the tenant's postback token") String token) {
        Map<String, String[]> parameters = request.getParameterMap();
        PostbackParser.Parsed parsed;
        try {
            parsed = PostbackParser.parse(parameters);
        } catch (PostbackParser.MalformedPostbackException e) {
            throw ApiProblem.invalid(e.parameter(), e.getMessage());
        }
        if (parsed.token() == null) {
            countUnauthorized(parsed.clickId());
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "postback-token", "The postback needs the tenant's token (parameter 'token').");
        }
        Optional<String> tenant = credentials.tenantOf(parsed.token());
        if (tenant.isEmpty()) {
            countUnauthorized(parsed.clickId());
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "postback-token", "The postback token is not valid.");
        }
        if (config.tenant(tenant.get()).map(t -> !t.active()).orElse(false)) {
            throw ConversionHandler.tenantSuspended();
        }
        PostbackOutcome outcome = intake.report(TenantId.of(tenant.get()), parsed.clickId(), parsed,
                credentials.settings(tenant.get()), "postback", null, senderIp(request));
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(outcome.answer());
    }

    private String senderIp(HttpServletRequest request) {
        return io.affnet.web.ClientAddress.of(request, clientIpHeader);
    }

    /** Refused attempts are counted for the tenant whose click they name, so it can see someone is trying. */
    private void countUnauthorized(String clickId) {
        if (clickId == null || !io.affnet.command.click.ClickIds.looksValid(clickId)) {
            return;
        }
        List<String> tenants = jdbc.queryForList("""
                SELECT convert_from(metadata, 'UTF8')::jsonb ->> 'tenantId' FROM domainevententry
                WHERE aggregateidentifier = ? AND sequencenumber = 0 AND type = 'Click'""", String.class, clickId);
        if (!tenants.isEmpty() && tenants.get(0) != null) {
            try {
                redis.opsForValue().increment("affnet:t:" + tenants.get(0) + ":postback:unauthorized");
            } catch (RuntimeException ignored) {
                // a counter for display; the refusal itself does not depend on it
            }
        }
    }
}
