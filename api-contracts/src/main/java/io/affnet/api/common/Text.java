package io.affnet.api.common;

/** What text the platform accepts from callers, anywhere: the one rule behind names, ids and parameters. */
public final class Text {

    /** Every id the platform issues, every route word and view name: 1 to 128 of A-Z a-z 0-9 _ - . ~ */
    public static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9_.~-]{1,128}");

    private Text() {
    }

    /** Whether {@code value} has the shape of an id (see {@link #ID}); anything else names nothing. */
    public static boolean isId(String value) {
        return value != null && ID.matcher(value).matches();
    }

    /**
     * Why {@code value} is not acceptable text, or null when it is: a control character (tab and line
     * breaks aside), or half of a UTF-16 surrogate pair. Both break storage (PostgreSQL refuses NUL),
     * logs, CSV exports and other clients' JSON parsers.
     */
    public static String defect(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                return "contains a control character (U+" + String.format("%04X", (int) c) + ")";
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired surrogate";
            }
        }
        return null;
    }
}
