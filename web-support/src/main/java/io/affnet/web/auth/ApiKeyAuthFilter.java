package io.affnet.web.auth;

import io.affnet.web.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;

/**
 * The one place where API callers are authenticated: {@code /api/**} and {@code /graphql} need an
 * {@code Authorization: Bearer <key>} header. The operator key comes from configuration; all other
 * keys are looked up by their hash, with their tenant's status (a suspended tenant's keys get 403).
 * The resolved {@link Caller} and the key's id ride on the request. Neither the key nor its hash is
 * ever written to a log or an answer.
 */
public class ApiKeyAuthFilter extends OncePerRequestFilter {

    /** Request attribute with the id of the key used (for rate limits and last-used times). */
    public static final String KEY_ID_ATTRIBUTE = ApiKeyAuthFilter.class.getName() + ".keyId";
    public static final String OPERATOR_KEY_ID = "operator";

    private final ApiKeys apiKeys;
    private final ApiKeyDirectory directory;
    private final String operatorKey;
    private final KeyUsage usage;
    private final Clock clock;

    public ApiKeyAuthFilter(ApiKeys apiKeys, ApiKeyDirectory directory, String operatorKey, KeyUsage usage, Clock clock) {
        this.apiKeys = apiKeys;
        this.directory = directory;
        this.operatorKey = operatorKey;
        this.usage = usage;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !isApi(request);
    }

    public static boolean isApi(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/api/") || path.equals("/graphql");
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
        Optional<ApiKeyDirectory.ActiveKey> found = resolve(key);
        if (found.isEmpty()) {
            Problems.write(response, HttpStatus.UNAUTHORIZED, "unauthenticated",
                    "The API key is not valid, has expired or has been revoked.", request.getRequestURI());
            return;
        }
        if (found.get().tenantSuspended()) {
            Problems.write(response, HttpStatus.FORBIDDEN, "tenant-suspended",
                    "The tenant of this key is suspended; contact the platform operator.", request.getRequestURI());
            return;
        }
        request.setAttribute(Caller.REQUEST_ATTRIBUTE, found.get().caller());
        request.setAttribute(KEY_ID_ATTRIBUTE, found.get().keyId());
        if (!OPERATOR_KEY_ID.equals(found.get().keyId())) {
            usage.used(found.get().keyId(), clock.instant());
        }
        chain.doFilter(request, response);
    }

    private Optional<ApiKeyDirectory.ActiveKey> resolve(String key) {
        if (operatorKey != null && !operatorKey.isBlank() && ApiKeys.constantTimeEquals(key, operatorKey)) {
            return Optional.of(new ApiKeyDirectory.ActiveKey(OPERATOR_KEY_ID, Caller.operator(), false));
        }
        if (!key.startsWith(ApiKeys.PREFIX) || key.length() > 200) {
            return Optional.empty();
        }
        return directory.findActive(apiKeys.hash(key));
    }
}
