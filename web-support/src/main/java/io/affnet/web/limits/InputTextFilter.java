package io.affnet.web.limits;

import io.affnet.api.common.Text;
import io.affnet.web.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Refuses, before authentication or any lookup, API and GraphQL requests whose path or query string
 * carries what no id or parameter of the API ever holds: a path segment that is not an id (every id,
 * route word and view name is 1 to 128 of {@code A-Z a-z 0-9 _ - . ~}, so {@code %20}, a NUL or a
 * 3,000-character "tenant id" never reaches a store), or a parameter name or value with a control
 * character or an unpaired surrogate ({@link Text#defect}), or longer than {@link #MAX_PARAMETER}.
 * The tracking endpoints keep their own rules.
 */
public class InputTextFilter extends OncePerRequestFilter {

    static final int MAX_PARAMETER = 4096;

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return !(uri.startsWith("/api/") || uri.equals("/graphql"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String problem = pathProblem(request.getRequestURI());
        if (problem == null) {
            problem = parameterProblem(request.getParameterMap());
        }
        if (problem != null) {
            String uri = request.getRequestURI();
            Problems.write(response, HttpStatus.BAD_REQUEST, "validation", problem, uri.length() > 200 ? uri.substring(0, 200) : uri);
            return;
        }
        chain.doFilter(request, response);
    }

    static String pathProblem(String rawUri) {
        String[] segments = rawUri.split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            String segment;
            try {
                segment = UriUtils.decode(segments[i], StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return "The path has an invalid percent-encoding.";
            }
            if (segment.isEmpty() && i == segments.length - 1) {
                continue;
            }
            if (!Text.isId(segment)) {
                return "Path segment " + i + " is not a valid id or route word: ids are 1 to 128 characters of"
                        + " A-Z, a-z, 0-9, '_', '-', '.' and '~'.";
            }
        }
        return null;
    }

    static String parameterProblem(Map<String, String[]> parameters) {
        for (Map.Entry<String, String[]> p : parameters.entrySet()) {
            String name = p.getKey();
            String defect = Text.defect(name);
            if (defect != null || name.length() > 128) {
                return "A query parameter name " + (defect != null ? defect : "is longer than 128 characters") + ".";
            }
            for (String value : p.getValue()) {
                if (value == null) {
                    continue;
                }
                defect = Text.defect(value);
                if (defect != null) {
                    return "Query parameter '" + name + "' " + defect + ".";
                }
                if (value.length() > MAX_PARAMETER) {
                    return "Query parameter '" + name + "' is longer than " + MAX_PARAMETER + " characters.";
                }
            }
        }
        return null;
    }
}
