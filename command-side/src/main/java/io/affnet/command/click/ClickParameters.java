package io.affnet.command.click;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the affiliate's sub values from a click's query string: {@code sub1}..{@code sub10} and
 * {@code source}, plus TUNE's {@code aff_sub} (= sub1) .. {@code aff_sub5} (= sub5). Where both a
 * {@code subN} and its TUNE alias are sent, {@code subN} wins.
 */
public final class ClickParameters {

    public static final int MAX_LENGTH = 500;

    private ClickParameters() {
    }

    /** Thrown for a value the platform will not record; the message names the parameter. */
    public static final class InvalidParameterException extends RuntimeException {
        public InvalidParameterException(String message) {
            super(message);
        }
    }

    public static Map<String, String> subs(Map<String, String[]> query) {
        Map<String, String> subs = new LinkedHashMap<>();
        for (int n = 1; n <= 5; n++) {
            String alias = n == 1 ? "aff_sub" : "aff_sub" + n;
            put(subs, "sub" + n, alias, query.get(alias));
        }
        for (int n = 1; n <= 10; n++) {
            put(subs, "sub" + n, "sub" + n, query.get("sub" + n));
        }
        put(subs, "source", "source", query.get("source"));
        return subs;
    }

    private static void put(Map<String, String> subs, String key, String parameter, String[] values) {
        if (values == null || values.length == 0) {
            return;
        }
        String value = values[0];
        if (value.length() > MAX_LENGTH) {
            throw new InvalidParameterException("Parameter '" + parameter + "' is " + value.length()
                    + " characters long; at most " + MAX_LENGTH + " are accepted.");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw new InvalidParameterException("Parameter '" + parameter + "' contains control characters.");
            }
        }
        subs.put(key, value);
    }
}
