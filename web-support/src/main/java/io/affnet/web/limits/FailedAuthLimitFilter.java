package io.affnet.web.limits;

import io.affnet.web.auth.ApiKeyAuthFilter;
import io.affnet.web.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per client IP, a limit on failed authentications (answers 401) on the API and the postback token:
 * each 401 takes a token from the address's bucket (shared by all nodes through Redis); once it is
 * empty, that address's API and postback requests are answered 429 with {@code Retry-After}, without
 * looking at the credential, until the bucket has refilled. Runs before authentication; a node learns
 * that an address is blocked at its own next 401 from it, so all nodes together let through at most
 * one more failure each. Successful requests cost nothing here.
 */
public class FailedAuthLimitFilter extends OncePerRequestFilter {

    private static final int MAX_BLOCKED = 100_000;

    private final RateLimiter limiter;
    private final RateLimiter.Limit limit;
    private final LimitSettings settings;
    private final LongSupplier clock;
    private final Map<String, Long> blockedUntil = new ConcurrentHashMap<>();

    public FailedAuthLimitFilter(RateLimiter limiter, RateLimiter.Limit limit, LimitSettings settings, LongSupplier clock) {
        this.limiter = limiter;
        this.limit = limit;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (limit.unlimited()) {
            return true;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !ApiKeyAuthFilter.isApi(request) && !path.equals("/postback");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String ip = settings.clientIp(request);
        Long until = blockedUntil.get(ip);
        long now = clock.getAsLong();
        if (until != null) {
            if (until > now) {
                refuse(request, response, Math.max(1, (until - now + 999) / 1000));
                return;
            }
            blockedUntil.remove(ip, until);
        }
        chain.doFilter(request, response);
        if (response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED) {
            OptionalLong wait = limiter.tryConsume("affnet:rl:authfail:" + ip, limit);
            if (wait.isPresent()) {
                if (blockedUntil.size() >= MAX_BLOCKED) {
                    blockedUntil.clear();
                }
                blockedUntil.put(ip, now + Math.max(1, wait.getAsLong()) * 1000);
            }
        }
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, long seconds) throws IOException {
        response.setHeader("Retry-After", Long.toString(seconds));
        Problems.write(response, HttpStatus.TOO_MANY_REQUESTS, "too-many-failed-authentications",
                "Too many failed authentications from this address; retry after " + seconds + " s.", request.getRequestURI());
    }
}
