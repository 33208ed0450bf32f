package io.affnet.web.problem;

import org.springframework.http.HttpStatus;

import java.util.Map;

/** A request the platform refuses for a reason the caller can fix; answered as problem+json. */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final Map<String, Object> properties;

    public ApiProblem(HttpStatus status, String type, String detail) {
        this(status, type, detail, Map.of());
    }

    public ApiProblem(HttpStatus status, String type, String detail, Map<String, Object> properties) {
        super(detail);
        this.status = status;
        this.type = type;
        this.properties = properties;
    }

    /** The problem document of a command's refusal. */
    public static ApiProblem of(io.affnet.api.common.CommandRejection rejection) {
        return switch (rejection.kind()) {
            case INVALID -> invalid(rejection.field(), rejection.detail());
            case NOT_FOUND -> new ApiProblem(HttpStatus.NOT_FOUND, rejection.type(), rejection.detail());
            case CONFLICT -> conflict(rejection.type(), rejection.detail());
        };
    }

    public static ApiProblem invalid(String field, String detail) {
        return new FieldErrors().add(field, detail).problem();
    }

    public static ApiProblem notFound(String what) {
        return new ApiProblem(HttpStatus.NOT_FOUND, "not-found", what + " not found");
    }

    public static ApiProblem conflict(String type, String detail) {
        return new ApiProblem(HttpStatus.CONFLICT, type, detail);
    }

    public HttpStatus status() {
        return status;
    }

    public String type() {
        return type;
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
