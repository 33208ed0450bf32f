package io.affnet.web.problem;

import io.affnet.api.common.MoneyJson;
import org.springframework.http.HttpStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Collects every invalid field of one request, so the caller learns them all from one problem document
 * ({@code errors}: a list of {@code {field, message}}) instead of one per attempt.
 */
public final class FieldErrors {

    private final List<Map<String, String>> errors = new ArrayList<>();

    public FieldErrors add(String field, String message) {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("field", field);
        error.put("message", message);
        errors.add(error);
        return this;
    }

    /** {@code value} must be present; returns whether it is. */
    public boolean require(String field, Object value) {
        if (value == null || value instanceof String s && s.isBlank()) {
            add(field, field + " is required");
            return false;
        }
        return true;
    }

    /** Runs a conversion that refuses bad input with {@link MoneyJson.InvalidAmountException}; null when it did. */
    public <T> T convert(String field, Supplier<T> conversion) {
        try {
            return conversion.get();
        } catch (MoneyJson.InvalidAmountException e) {
            add(field, e.getMessage());
            return null;
        }
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** A 400 listing every collected error, if there is one. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw problem(errors);
        }
    }

    ApiProblem problem() {
        return problem(errors);
    }

    /** The one shape of a validation problem: {@code detail} names the fields, {@code errors} says what is wrong with each. */
    public static ApiProblem problem(List<Map<String, String>> errors) {
        String detail = errors.size() == 1 ? errors.get(0).get("message")
                : "The request has " + errors.size() + " invalid values: "
                + String.join("; ", errors.stream().map(e -> e.get("message")).toList()) + ".";
        return new ApiProblem(HttpStatus.BAD_REQUEST, "validation", detail, Map.of("errors", List.copyOf(errors)));
    }
}
