package io.affnet.web.limits;

import io.affnet.web.auth.ApiKeyAuthFilter;
import io.affnet.web.auth.Caller;
import io.affnet.web.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.OptionalLong;

/**
 * Rate limits, applied after authentication: per key and per tenant on the API ({@code /api/**},
 * {@code /graphql}), per client IP on the public tracking endpoints ({@code /c/}, {@code /postback},
 * {@code /p}). A refused request gets 429 problem+json with {@code Retry-After}.
 */
public class LimitsFilter extends OncePerRequestFilter {

    private final RateLimiter limiter;
    private final LimitSettings settings;

    public LimitsFilter(RateLimiter limiter, LimitSettings settings) {
        this.limiter = limiter;
        this.settings = settings;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        OptionalLong wait = OptionalLong.empty();
        String what = null;
        if (ApiKeyAuthFilter.isApi(request)) {
            Object keyId = request.getAttribute(ApiKeyAuthFilter.KEY_ID_ATTRIBUTE);
            Object caller = request.getAttribute(Caller.REQUEST_ATTRIBUTE);
            if (keyId != null) {
                wait = limiter.tryConsume("affnet:rl:key:" + keyId, settings.perKey());
                what = "this API key";
            }
            if (wait.isEmpty() && caller instanceof Caller c && c.tenantId() != null) {
                wait = limiter.tryConsume("affnet:rl:tenant:" + c.tenantId().value(), settings.perTenant());
                what = "this tenant";
            }
        } else if (isTracking(request)) {
            wait = limiter.tryConsume("affnet:rl:ip:" + settings.clientIp(request), settings.perIp());
            what = "this address";
        }
        if (wait.isPresent()) {
            response.setHeader("Retry-After", Long.toString(wait.getAsLong()));
            Problems.write(response, HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
                    "Too many requests from " + what + "; retry after " + wait.getAsLong() + " s.", request.getRequestURI());
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isTracking(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/c/") || path.equals("/postback") || path.equals("/p");
    }
}
