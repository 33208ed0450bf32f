package io.affnet.platform.config;

import io.affnet.web.problem.Problems;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the servlet container forwards to when a request fails outside Spring MVC's exception handling
 * (a filter throws, {@code sendError} is called, no handler matched before MVC): a problem document,
 * never the whitelabel page, Spring's default error JSON or a stack trace. Replaces Spring Boot's
 * {@code BasicErrorController}. Not an API operation, so not in the OpenAPI document.
 */
@Hidden
@RestController
public class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    public ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer c && HttpStatus.resolve(c) != null && c >= 400
                ? HttpStatus.valueOf(c) : HttpStatus.INTERNAL_SERVER_ERROR;
        ProblemDetail problem = Problems.of(status, type(status), detail(status));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    static String type(HttpStatus status) {
        return status == HttpStatus.INTERNAL_SERVER_ERROR ? "internal" : status.name().toLowerCase().replace('_', '-');
    }

    static String detail(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "The request is malformed (its URL, headers or body cannot be read).";
            case NOT_FOUND -> "There is nothing at this address.";
            case METHOD_NOT_ALLOWED -> "This address does not accept this HTTP method.";
            case INTERNAL_SERVER_ERROR -> "The platform could not complete the request; nothing was changed. Try again later.";
            default -> status.getReasonPhrase() + ".";
        };
    }

    /** The problem document for {@code status} as JSON text, for writers outside Spring (the Tomcat valve). */
    public static String json(int status) {
        HttpStatus resolved = HttpStatus.resolve(status);
        HttpStatus s = resolved == null || status < 400 ? HttpStatus.INTERNAL_SERVER_ERROR : resolved;
        return "{\"type\":\"" + Problems.TYPE_BASE + type(s) + "\",\"title\":\"" + s.getReasonPhrase() + "\",\"status\":"
                + s.value() + ",\"detail\":\"" + detail(s) + "\"}";
    }
}
