package io.affnet.command.postback;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.common.TenantId;
import io.affnet.command.click.ClickConfigCache;
import io.affnet.command.click.ClickIds;
import io.affnet.web.ClientAddress;
import io.affnet.web.problem.ApiProblem;
import io.affnet.web.problem.Problems;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.axonframework.commandhandling.CommandExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code GET|POST /postback}: advertisers report conversions server to server, in the parameter shapes of
 * the trackers they already use (see {@link PostbackParser}); the tenant is the one whose postback token
 * is presented. Answers {@code accepted}, {@code duplicate} or {@code rejected:<reason>} as text/plain;
 * malformed input 400, a missing or wrong token 401, a refused sender or suspended tenant 403, all
 * problem+json.
 * <p>
 * A plain asynchronous servlet rather than a Spring MVC controller, like the click redirect: this is a
 * hot path, MVC's dispatch was a large share of its CPU, and the request thread is released while the
 * conversion waits for its group commit ({@link ConversionBatcher}); the answer is written when the
 * commit completes. The operation is described in the OpenAPI document by {@code PostbackOpenApi}.
 */
public class PostbackServlet extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(PostbackServlet.class);

    private final PostbackCredentials credentials;
    private final PostbackIntake intake;
    private final ClickConfigCache config;
    private final StringRedisTemplate redis;
    private final JdbcTemplate jdbc;
    private final String clientIpHeader;
    private final ObjectMapper json;

    public PostbackServlet(PostbackCredentials credentials, PostbackIntake intake, ClickConfigCache config,
                           StringRedisTemplate redis, JdbcTemplate jdbc, String clientIpHeader, ObjectMapper json) {
        this.credentials = credentials;
        this.intake = intake;
        this.config = config;
        this.redis = redis;
        this.jdbc = jdbc;
        this.clientIpHeader = clientIpHeader;
        this.json = json;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        handle(request, response);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        handle(request, response);
    }

    private void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        CompletableFuture<PostbackOutcome> outcome;
        try {
            outcome = start(request);
        } catch (RuntimeException e) {
            fail(request, response, e);
            return;
        }
        if (outcome.isDone()) {
            answer(request, response, outcome);
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(60_000);
        outcome.whenComplete((ok, failure) -> {
            try {
                answer(request, (HttpServletResponse) async.getResponse(), outcome);
            } catch (IOException | RuntimeException e) {
                log.debug("Could not answer a postback: {}", e.toString());
            } finally {
                async.complete();
            }
        });
    }

    /** Everything up to the command: parsing, the token, the tenant. Refusals are thrown. */
    private CompletableFuture<PostbackOutcome> start(HttpServletRequest request) {
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
        return intake.submit(TenantId.of(tenant.get()), parsed.clickId(), parsed, credentials.settings(tenant.get()),
                "postback", null, ClientAddress.of(request, clientIpHeader));
    }

    private void answer(HttpServletRequest request, HttpServletResponse response,
                        CompletableFuture<PostbackOutcome> outcome) throws IOException {
        PostbackOutcome done;
        try {
            done = outcome.join();
        } catch (CompletionException e) {
            fail(request, response, e.getCause() == null ? e : e.getCause());
            return;
        } catch (RuntimeException e) {
            fail(request, response, e);
            return;
        }
        byte[] body = done.answer().getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The same problem documents as the API's exception handling gives. */
    private void fail(HttpServletRequest request, HttpServletResponse response, Throwable failure) throws IOException {
        ApiProblem problem = problemOf(failure);
        if (problem == null) {
            log.error("A postback could not be handled", failure);
            response.setHeader("Retry-After", "2");
            problem = new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "postback-not-recorded",
                    "The postback could not be recorded; nothing was counted. Send it again in a moment.");
        }
        ProblemDetail body = Problems.of(problem.status(), problem.type(), problem.getMessage());
        body.setInstance(URI.create(request.getRequestURI()));
        problem.properties().forEach(body::setProperty);
        byte[] bytes = json.writeValueAsBytes(body);
        response.setStatus(problem.status().value());
        response.setContentType(Problems.MEDIA_TYPE);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static ApiProblem problemOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ApiProblem problem) {
                return problem;
            }
            if (t instanceof CommandExecutionException e && e.getDetails().orElse(null) instanceof ApiProblem problem) {
                return problem;
            }
        }
        return null;
    }

    /** Refused attempts are counted for the tenant whose click they name, so it can see someone is trying. */
    private void countUnauthorized(String clickId) {
        if (clickId == null || !ClickIds.looksValid(clickId)) {
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
