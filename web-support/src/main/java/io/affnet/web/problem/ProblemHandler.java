package io.affnet.web.problem;

import io.affnet.api.common.CommandRejection;
import io.affnet.web.auth.ForbiddenException;
import io.affnet.web.auth.UnauthenticatedException;
import jakarta.validation.ConstraintViolationException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.queryhandling.QueryExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;


/**
 * Maps every failure of a controller to {@code application/problem+json}: the caller learns what was
 * wrong, never how the code is built (no stack traces, no exception class names).
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> apiProblem(ApiProblem e) {
        ProblemDetail problem = Problems.of(e.status(), e.type(), e.getMessage());
        e.properties().forEach(problem::setProperty);
        if (e.status() == HttpStatus.SERVICE_UNAVAILABLE) {
            // A 503 is temporary (a busy or overloaded platform): say when to come back, as the tracking servlets do.
            return ResponseEntity.status(problem.getStatus()).header(HttpHeaders.RETRY_AFTER, "2")
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        return respond(problem);
    }

    @ExceptionHandler(UnauthenticatedException.class)
    ResponseEntity<ProblemDetail> unauthenticated(UnauthenticatedException e) {
        return respond(Problems.of(HttpStatus.UNAUTHORIZED, "unauthenticated", "Authentication required."));
    }

    @ExceptionHandler(ForbiddenException.class)
    ResponseEntity<ProblemDetail> forbidden(ForbiddenException e) {
        return respond(Problems.of(HttpStatus.FORBIDDEN, "forbidden", e.getMessage()));
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraintViolation(ConstraintViolationException e) {
        FieldErrors errors = new FieldErrors();
        e.getConstraintViolations().forEach(v -> errors.add(v.getPropertyPath().toString(), v.getMessage()));
        return apiProblem(errors.problem());
    }

    @ExceptionHandler({CommandExecutionException.class, QueryExecutionException.class})
    ResponseEntity<ProblemDetail> axonFailure(RuntimeException e) {
        Object details = e instanceof CommandExecutionException c ? c.getDetails().orElse(null)
                : ((QueryExecutionException) e).getDetails().orElse(null);
        if (details instanceof ApiProblem problem) {
            return apiProblem(problem);
        }
        if (details instanceof CommandRejection rejection) {
            return apiProblem(ApiProblem.of(rejection));
        }
        Throwable cause = e.getCause();
        if (cause instanceof ApiProblem problem) {
            return apiProblem(problem);
        }
        return unexpected(e);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        return respond(Problems.of(HttpStatus.BAD_REQUEST, "validation",
                "Parameter '" + e.getName() + "' has an invalid value."));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        Throwable cause = e;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ApiProblem problem) {
            return apiProblem(problem);
        }
        // Before the store check: a broken pipe to the client is an I/O failure too, but not a store's.
        if (clientGone(e)) {
            // The client closed the connection mid-answer (a browser leaving a page while a file downloads):
            // nobody is left to answer, and nothing went wrong here.
            log.debug("The client went away before its answer was written: {}", e.toString());
            return null;
        }
        if (StoreFailures.isStoreUnavailable(cause)) {
            log.warn("A store is unavailable: {}", StoreFailures.describe(cause));
            ProblemDetail problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, StoreFailures.PROBLEM_TYPE,
                    StoreFailures.DETAIL);
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        log.error("Unexpected failure handling a request", e);
        return respond(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal",
                "The platform could not complete the request; nothing was changed. Try again later."));
    }

    /** Whether the failure is the servlet container's word that the client disconnected (Tomcat's ClientAbortException). */
    static boolean clientGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().equals("org.apache.catalina.connector.ClientAbortException")) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        FieldErrors errors = new FieldErrors();
        e.getBindingResult().getFieldErrors().forEach(f -> errors.add(f.getField(), f.getDefaultMessage()));
        return new ResponseEntity<>(apiProblem(errors.problem()).getBody(), problemHeaders(), HttpStatus.BAD_REQUEST);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof io.affnet.web.limits.BodySizeFilter.BodyTooLargeException) {
                return new ResponseEntity<>(Problems.of(HttpStatus.PAYLOAD_TOO_LARGE, "body-too-large",
                        "The request body is too large."), problemHeaders(), HttpStatus.PAYLOAD_TOO_LARGE);
            }
        }
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "malformed-body", JsonErrors.describe(e));
        return new ResponseEntity<>(problem, problemHeaders(), HttpStatus.BAD_REQUEST);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem && problem.getType() != null
                && "about:blank".equals(problem.getType().toString())) {
            HttpStatus resolved = HttpStatus.resolve(statusCode.value());
            problem.setType(java.net.URI.create(Problems.TYPE_BASE
                    + (resolved == null ? "http-" + statusCode.value() : resolved.name().toLowerCase().replace('_', '-'))));
        }
        return response;
    }

    private static HttpHeaders problemHeaders() {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return headers;
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
