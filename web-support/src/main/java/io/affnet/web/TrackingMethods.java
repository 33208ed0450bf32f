package io.affnet.web;

import io.affnet.web.problem.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;

import java.io.IOException;
import java.util.Set;

/**
 * The methods a public tracking endpoint ({@code /c/}, {@code /postback}, {@code /p}) answers. HEAD and
 * OPTIONS never change anything: link checkers and preflights send them, so HEAD is refused (405, no
 * body) rather than handled as a GET, and OPTIONS only lists the methods. Every other method is a 405
 * problem+json naming the allowed ones.
 */
public final class TrackingMethods {

    private TrackingMethods() {
    }

    /** True when the request was answered here (a method the endpoint does not handle); false to go on. */
    public static boolean answered(HttpServletRequest request, HttpServletResponse response, Set<String> allowed)
            throws IOException {
        String method = request.getMethod();
        if (allowed.contains(method) && !"HEAD".equals(method) && !"OPTIONS".equals(method)) {
            return false;
        }
        String allow = String.join(", ", allowed.stream().sorted().toList()) + ", OPTIONS";
        response.setHeader("Allow", allow);
        response.setHeader("Cache-Control", "no-store");
        if ("OPTIONS".equals(method)) {
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return true;
        }
        if ("HEAD".equals(method)) {
            response.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            response.setContentType(Problems.MEDIA_TYPE);
            return true;
        }
        Problems.write(response, HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method " + method
                + " is not allowed here; use " + String.join(" or ", allowed.stream().sorted().toList()) + ".",
                request.getRequestURI());
        return true;
    }
}
