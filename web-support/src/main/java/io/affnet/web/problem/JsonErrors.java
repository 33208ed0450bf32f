package io.affnet.web.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.springframework.http.converter.HttpMessageNotReadableException;

import java.util.stream.Collectors;

/** Turns a JSON parsing failure into one sentence a caller can act on, without leaking class names. */
final class JsonErrors {

    private JsonErrors() {
    }

    static String describe(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause instanceof UnrecognizedPropertyException u) {
            return "Unknown field '" + u.getPropertyName() + "'.";
        }
        if (cause instanceof InvalidFormatException f) {
            return "Field '" + path(f) + "' has a value of the wrong type or format.";
        }
        if (cause instanceof ValueInstantiationException v) {
            // Value types refuse impossible values in their constructors with a message meant for callers.
            return "Field '" + path(v) + "' is invalid" + (v.getCause() instanceof IllegalArgumentException reason
                    && reason.getMessage() != null ? ": " + reason.getMessage() : "") + ".";
        }
        if (cause instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            return "Field '" + path(m) + "' has a value of the wrong type.";
        }
        if (cause instanceof JsonProcessingException) {
            return "The request body is not valid JSON.";
        }
        return "The request body is missing or unreadable.";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
