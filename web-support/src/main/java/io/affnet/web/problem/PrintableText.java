package io.affnet.web.problem;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.affnet.api.common.Text;

import java.io.IOException;

/**
 * Refuses, while a request body is read, any string that {@link Text#defect} finds fault with (a NUL,
 * another control character, an unpaired surrogate), so such text never reaches a command or a store.
 */
public final class PrintableText {

    private PrintableText() {
    }

    /** A string field of a request body with text the platform does not accept. */
    public static final class UnprintableTextException extends MismatchedInputException {
        UnprintableTextException(JsonParser p, String defect) {
            super(p, defect, String.class);
        }
    }

    public static SimpleModule module() {
        return new SimpleModule("printable-text").addDeserializer(String.class, new Deserializer());
    }

    private static final class Deserializer extends StdScalarDeserializer<String> {
        Deserializer() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            String defect = value == null ? null : Text.defect(value);
            if (defect != null) {
                throw new UnprintableTextException(p, defect);
            }
            return value;
        }
    }
}
