package io.affnet.platform.ops;

import io.affnet.web.auth.ApiKeys;
import io.affnet.web.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * {@code /actuator/prometheus} answers only a scraper that sends {@code Authorization: Bearer <token>}
 * with the metrics token ({@code affnet.metrics.token}, or the operator key when that is empty): the
 * counts are platform-wide, across tenants, and not for the public.
 */
public class MetricsAccessFilter extends OncePerRequestFilter {

    private final String token;

    public MetricsAccessFilter(String token) {
        this.token = token == null || token.isBlank() ? null : token;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader("Authorization");
        String presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : null;
        if (token == null || presented == null || !ApiKeys.constantTimeEquals(presented, token)) {
            response.setHeader("WWW-Authenticate", "Bearer");
            Problems.write(response, HttpStatus.UNAUTHORIZED, "metrics-unauthorized",
                    "The metrics need Authorization: Bearer with the metrics token (affnet.metrics.token, else the operator key).",
                    request.getRequestURI());
            return;
        }
        chain.doFilter(request, response);
    }
}
