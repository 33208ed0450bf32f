package io.affnet.web.auth;

import io.affnet.web.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Optional;

/**
 * The one place where API callers are authenticated: {@code /api/v1/**} and {@code /graphql} need an
 * {@code Authorization: Bearer <key>} header. The operator key comes from configuration; all other
 * keys are looked up by their hash. The resolved {@link Caller} rides on the request.
 */
public class ApiKeyAuthFilter extends OncePerRequestFilter {

    private final ApiKeys apiKeys;
    private final ApiKeyDirectory directory;
    private final String operatorKey;

    public ApiKeyAuthFilter(ApiKeys apiKeys, ApiKeyDirectory directory, String operatorKey) {
        this.apiKeys = apiKeys;
        this.directory = directory;
        this.operatorKey = operatorKey;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !(path.startsWith("/api/") || path.equals("/graphql"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            Problems.write(response, HttpStatus.UNAUTHORIZED, "unauthenticated",
                    "Missing API key: send 'Authorization: Bearer <key>'.", request.getRequestURI());
            return;
        }
        String key = header.substring(7).trim();
        Optional<Caller> caller = resolve(key);
        if (caller.isEmpty()) {
            Problems.write(response, HttpStatus.UNAUTHORIZED, "unauthenticated",
                    "The API key is not valid or has been revoked.", request.getRequestURI());
            return;
        }
        request.setAttribute(Caller.REQUEST_ATTRIBUTE, caller.get());
        chain.doFilter(request, response);
    }

    private Optional<Caller> resolve(String key) {
        if (operatorKey != null && !operatorKey.isBlank() && ApiKeys.constantTimeEquals(key, operatorKey)) {
            return Optional.of(Caller.operator());
        }
        if (!key.startsWith(ApiKeys.PREFIX) || key.length() > 200) {
            return Optional.empty();
        }
        return directory.findActive(apiKeys.hash(key));
    }
}
