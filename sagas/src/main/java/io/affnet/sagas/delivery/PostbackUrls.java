package io.affnet.sagas.delivery;

import io.affnet.api.outbound.PostbackMacros;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;

/** Fills an outbound postback template (already accepted by the domain's rules) with a conversion's values. */
public final class PostbackUrls {

    private PostbackUrls() {
    }

    /** The template with each macro replaced by its value, percent-encoded; an absent value is empty. */
    public static String fill(String template, Map<String, String> values) {
        Matcher m = PostbackMacros.MACRO.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : encode(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Percent-encoding as in RFC 3986: a space is {@code %20}, never {@code +}. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("%7E", "~");
    }
}
