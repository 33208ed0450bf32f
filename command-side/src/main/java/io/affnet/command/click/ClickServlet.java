package io.affnet.command.click;

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

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        String code = path == null || path.length() < 2 ? "" : path.substring(1);
        if (!validCode(code)) {
            notFound(response);
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
        ClickService.Visit visit = new ClickService.Visit(code, subs, userAgent, request.getHeader("Referer"),
                devices.classify(userAgent), countries.country(request, ip), ips.hash(ip), IpAnonymizer.prefix(ip));
        Optional<ClickService.Answer> answer;
        try {
            answer = clicks.click(visit);
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
        async.setTimeout(30_000);
        a.committed().whenComplete((ok, failure) -> {
            HttpServletResponse r = (HttpServletResponse) async.getResponse();
            try {
                if (failure != null) {
                    unavailable(request, r);
                } else if (a.location() == null) {
                    notFound(r);
                } else {
                    r.setStatus(HttpServletResponse.SC_FOUND);
                    r.setHeader("Location", a.location());
                    r.setHeader("Cache-Control", "no-store");
                    r.setHeader("Referrer-Policy", "no-referrer-when-downgrade");
                    r.addHeader("Set-Cookie", cookieName + "=" + a.clickId() + "; Max-Age=" + a.cookieMaxAgeSeconds()
                            + "; Path=/; HttpOnly; SameSite=Lax" + (request.isSecure() ? "; Secure" : ""));
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

    private static void unavailable(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Retry-After", "2");
        Problems.write(response, HttpStatus.SERVICE_UNAVAILABLE, "click-not-recorded",
                "The click could not be recorded; nothing was counted. Retry in a moment.", request.getRequestURI());
    }
}
