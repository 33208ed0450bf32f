package io.affnet.web.money;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import java.io.IOException;

/**
 * Reads a field that must be a decimal string ({@code "10.50"}): a JSON number there is refused rather
 * than turned into text, because {@code 10.5} in a client's JSON has often been through a binary float
 * already, and because the integer shape of earlier versions meant minor units (the 100× trap).
 */
public final class DecimalText extends JsonDeserializer<String> {

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT || p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
            throw new NumberNotText(p, p.getText());
        }
        throw MismatchedInputException.from(p, String.class, "a decimal string is required");
    }

    /** A JSON number where a decimal string is required. */
    public static final class NumberNotText extends MismatchedInputException {
        private final String number;

        NumberNotText(JsonParser p, String number) {
            super(p, "a decimal string is required, not a JSON number", String.class);
            this.number = number;
        }

        public String number() {
            return number;
        }
    }
}
