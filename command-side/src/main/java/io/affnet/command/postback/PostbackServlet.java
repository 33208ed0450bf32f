package io.affnet.command.postback;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.common.TenantId;
import io.affnet.command.click.ClickConfigCache;
import io.affnet.web.ClientAddress;
import io.affnet.web.TrackingDomains;
import io.affnet.web.TrackingMethods;
import io.affnet.web.problem.ApiProblem;
import io.affnet.web.AsyncTimeout;
import io.affnet.web.problem.Problems;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.affnet.domain.click.ConversionRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    private final PostbackCounters counters;
    private final TrackingDomains domains;
    private final String clientIpHeader;
    private final ObjectMapper json;

    public PostbackServlet(PostbackCredentials credentials, PostbackIntake intake, ClickConfigCache config,
                           PostbackCounters counters, TrackingDomains domains, String clientIpHeader, ObjectMapper json) {
        this.credentials = credentials;
        this.intake = intake;
        this.config = config;
        this.counters = counters;
        this.domains = domains;
        this.clientIpHeader = clientIpHeader;
        this.json = json;
    }

    /** GET and POST report; HEAD, OPTIONS and the rest never record anything ({@link TrackingMethods}). */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!TrackingMethods.answered(request, response, Set.of("GET", "POST"))) {
            handle(request, response);
        }
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
        AsyncTimeout timeout = AsyncTimeout.on(async, 60_000, r -> {
            log.warn("A postback was not confirmed within 60 s");
            fail(request, r, new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "postback-busy",
                    "The conversion could not be confirmed in time; send the postback again (a repeat never counts twice)."));
        });
        outcome.whenComplete((ok, failure) -> {
            if (!timeout.claim()) {
                return;
            }
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
            countUnauthorized(request);
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "postback-token", "The postback needs the tenant's token (parameter 'token').");
        }
        Optional<PostbackCredentials.TokenScope> scope = credentials.scopeOf(parsed.token());
        Optional<String> tenant = scope.map(PostbackCredentials.TokenScope::tenantId);
        if (tenant.isEmpty()) {
            countUnauthorized(request);
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "postback-token", "The postback token is not valid.");
        }
        if (ClickConfigCache.ifAvailable(() -> config.tenant(tenant.get())).map(t -> !t.active()).orElse(false)) {
            throw ConversionProblems.tenantSuspended();
        }
        return intake.submit(TenantId.of(tenant.get()), parsed.clickId(), parsed, credentials.settings(tenant.get()),
                "postback", null, ClientAddress.of(request, clientIpHeader), null, scope.get().advertiserId());
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
                    "The postback could not be confirmed. Send it again in a moment: if it was counted, the repeat is"
                            + " answered as a duplicate and nothing is counted twice.");
        }
        if (problem.status() == HttpStatus.SERVICE_UNAVAILABLE && response.getHeader("Retry-After") == null) {
            response.setHeader("Retry-After", "2");
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
            if (t instanceof ConversionRefusedException refused) {
                return ConversionProblems.of(refused);
            }
        }
        return null;
    }

    /**
     * A refused attempt is counted where it was sent: on the tenant whose tracking domain received it, else
     * on the installation's postback endpoint (an operator's counter). The click id it names proves nothing
     * about who sent it, so no tenant's counter is touched by a stranger naming one of its clicks.
     */
    private void countUnauthorized(HttpServletRequest request) {
        try {
            domains.tenantOf(request).ifPresentOrElse(tenant -> counters.count(tenant, PostbackCounters.Kind.UNAUTHORIZED),
                    counters::countUnattributed);
        } catch (RuntimeException e) {
            log.debug("Could not count a refused postback: {}", e.toString());
        }
    }
}
