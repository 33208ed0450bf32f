package io.affnet.web.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.affnet.web.money.DecimalText;
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
        if (cause instanceof DecimalText.NumberNotText n) {
            return "Field '" + path(n) + "' must be a decimal string such as \"12.34\", not the JSON number " + n.number()
                    + " (a JSON number may already have lost digits; a string is exact).";
        }
        if (cause instanceof InvalidFormatException f) {
            return "Field '" + path(f) + "' has a value of the wrong type or format.";
        }
        if (cause instanceof ValueInstantiationException v) {
            // Value types refuse impossible values in their constructors with a message meant for callers.
            return "Field '" + path(v) + "' is invalid" + (v.getCause() instanceof IllegalArgumentException reason
                    && reason.getMessage() != null ? ": " + reason.getMessage() : "") + ".";
        }
        if (cause instanceof PrintableText.UnprintableTextException t) {
            return "Field '" + path(t) + "' " + t.getOriginalMessage() + ".";
        }
        if (cause instanceof JsonProcessingException p && p.getOriginalMessage() != null) {
            String message = p.getOriginalMessage();
            if (message.startsWith("Duplicate field '")) {
                // Two values for one field: which one counts differs between parsers, so neither does here.
                return "Field '" + message.substring(17, message.indexOf('\'', 17)) + "' appears more than once.";
            }
            if (message.startsWith("Trailing token")) {
                return "The request body has content after the JSON document.";
            }
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
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining()).replaceFirst("^\\.", "");
    }
}
