package io.affnet.command.click;

import io.affnet.web.TrackingMethods;
import io.affnet.web.AsyncTimeout;
import io.affnet.web.problem.Problems;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /c/{code}}: the click redirect. A plain asynchronous servlet rather than a Spring MVC
 * controller, because this is the hottest path of the platform: the request thread is released while
 * the click waits for its group commit, and the 302 is written when the commit completes.
 */
public class ClickServlet extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(ClickServlet.class);
    private static final byte[] NOT_FOUND_PAGE = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Link not found</title></head>
            <body style="font-family:sans-serif;margin:3em"><h1>Link not found</h1>
            <p>This link does not exist or no longer leads anywhere.</p></body></html>
            """.getBytes(StandardCharsets.UTF_8);
    private static final int MAX_CODE_LENGTH = 64;
    /** Past it a click is answered "outcome unknown"; the recorder's own bounds (max-wait, JDBC socket timeout) answer first. */
    private static final long ASYNC_TIMEOUT_MS = 30_000;

    private final ClickService clicks;
    private final DeviceClassifier devices;
    private final CountryResolver countries;
    private final IpAnonymizer ips;
    private final String clientIpHeader;
    private final String cookieName;

    public ClickServlet(ClickService clicks, DeviceClassifier devices, CountryResolver countries, IpAnonymizer ips,
                        String clientIpHeader, String cookieName) {
        this.clicks = clicks;
        this.devices = devices;
        this.countries = countries;
        this.ips = ips;
        this.clientIpHeader = clientIpHeader;
        this.cookieName = cookieName;
    }

    /** Only GET follows a link; HEAD, OPTIONS and the rest never record a click ({@link TrackingMethods}). */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!TrackingMethods.answered(request, response, Set.of("GET"))) {
            doGet(request, response);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        String code = path == null || path.length() < 2 ? "" : path.substring(1);
        if (!validCode(code)) {
            // Not a link a person was given: a machine-readable answer rather than the page for a dead link.
            Problems.write(response, HttpStatus.NOT_FOUND, "link-not-found", code.isEmpty()
                    ? "The click URL names no link code: use /c/{code}." : "No link has this code.", request.getRequestURI());
            return;
        }
        Map<String, String> subs;
        try {
            subs = ClickParameters.subs(request.getParameterMap());
        } catch (ClickParameters.InvalidParameterException e) {
            Problems.write(response, HttpStatus.BAD_REQUEST, "invalid-click-parameter", e.getMessage(), request.getRequestURI());
            return;
        }
        String ip = clientIp(request);
        String userAgent = request.getHeader("User-Agent");
        CountryResolver.Origin origin = countries.origin(request, ip);
        ClickService.Visit visit = new ClickService.Visit(code, subs, userAgent, request.getHeader("Referer"),
                devices.classify(userAgent), origin.country(), ips.hash(ip), IpAnonymizer.prefix(ip), origin.region(),
                origin.city(), origin.asn(), origin.hosting());
        Optional<ClickService.Answer> answer;
        try {
            answer = clicks.click(visit);
        } catch (ClickConfigCache.ConfigurationUnavailableException e) {
            log.warn("Click on {} could not be handled: {}", code, e.getMessage());
            unavailable(request, response);
            return;
        } catch (RuntimeException e) {
            log.error("Click on {} could not be handled", code, e);
            unavailable(request, response);
            return;
        }
        if (answer.isEmpty()) {
            notFound(response);
            return;
        }
        ClickService.Answer a = answer.get();
        AsyncContext async = request.startAsync();
        AsyncTimeout timeout = AsyncTimeout.on(async, ASYNC_TIMEOUT_MS, r -> {
            // A safety net behind the recorder's own bounds: the click may still be appended.
            log.warn("Click {} was not confirmed within {} ms", a.clickId(), ASYNC_TIMEOUT_MS);
            outcomeUnknown(request, r);
        });
        a.committed().whenComplete((ok, failure) -> {
            if (!timeout.claim()) {
                return;
            }
            HttpServletResponse r = (HttpServletResponse) async.getResponse();
            try {
                if (failure != null) {
                    if (failure instanceof ClickRecorder.OutcomeUnknownException) {
                        outcomeUnknown(request, r);
                    } else {
                        unavailable(request, r);
                    }
                } else if (a.location() == null) {
                    notFound(r);
                } else {
                    r.setStatus(HttpServletResponse.SC_FOUND);
                    r.setHeader("Location", a.location());
                    r.setHeader("Cache-Control", "no-store");
                    r.setHeader("Referrer-Policy", "no-referrer-when-downgrade");
                    // Over HTTPS the cookie may travel with a cross-site pixel (SameSite=None needs Secure);
                    // isSecure() trusts X-Forwarded-Proto only where the operator configured the proxy as trusted.
                    r.addHeader("Set-Cookie", cookieName + "=" + a.clickId() + "; Max-Age=" + a.cookieMaxAgeSeconds()
                            + "; Path=/; HttpOnly" + (request.isSecure() ? "; SameSite=None; Secure" : "; SameSite=Lax"));
                    r.setContentLength(0);
                }
            } catch (IOException | RuntimeException e) {
                log.debug("Could not answer click {}: {}", a.clickId(), e.toString());
            } finally {
                async.complete();
            }
        });
    }

    private String clientIp(HttpServletRequest request) {
        return io.affnet.web.ClientAddress.of(request, clientIpHeader);
    }

    private static boolean validCode(String code) {
        if (code.isEmpty() || code.length() > MAX_CODE_LENGTH) {
            return false;
        }
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static void notFound(HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        response.setContentType("text/html;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(NOT_FOUND_PAGE.length);
        response.getOutputStream().write(NOT_FOUND_PAGE);
    }

    /** The append may have committed (connection lost after COMMIT, or no confirmation in time): say so, not "nothing was counted". */
    private static void outcomeUnknown(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Retry-After", "2");
        Problems.write(response, HttpStatus.SERVICE_UNAVAILABLE, "click-outcome-unknown",
                "The click could not be confirmed: the event store did not answer, so it may or may not have been counted."
                        + " Retry in a moment.", request.getRequestURI());
    }

    private static void unavailable(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Retry-After", "2");
        Problems.write(response, HttpStatus.SERVICE_UNAVAILABLE, "click-not-recorded",
                "The click could not be recorded; nothing was counted. Retry in a moment.", request.getRequestURI());
    }
}
