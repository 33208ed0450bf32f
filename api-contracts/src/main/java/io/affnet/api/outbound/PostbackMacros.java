package io.affnet.api.outbound;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The macros of outbound postback URLs, the rules a template must follow and how it is filled. Shared
 * by the configuration (which refuses a bad template) and delivery (which fills a good one).
 */
public final class PostbackMacros {

    public static final int MAX_URL_LENGTH = 2048;
    public static final int MAX_TEMPLATES = 200;
    public static final Set<String> NAMES;
    private static final Pattern MACRO = Pattern.compile("\\{([^{}]*)}");

    static {
        Set<String> names = new LinkedHashSet<>(List.of("click_id"));
        for (int i = 1; i <= 10; i++) {
            names.add("sub" + i);
        }
        names.addAll(List.of("source", "payout", "currency", "status", "transaction_id", "conversion_id", "offer_id",
                "goal", "timestamp"));
        NAMES = Set.copyOf(names);
    }

    private PostbackMacros() {
    }

    /** What is wrong with a template URL, or null if it is usable. */
    public static String problem(String url) {
        if (url == null || url.isBlank()) {
            return "url is required";
        }
        if (url.length() > MAX_URL_LENGTH) {
            return "url is longer than " + MAX_URL_LENGTH + " characters";
        }
        Matcher m = MACRO.matcher(url);
        List<String> unknown = new ArrayList<>();
        while (m.find()) {
            if (!NAMES.contains(m.group(1))) {
                unknown.add("{" + m.group(1) + "}");
            }
        }
        if (!unknown.isEmpty()) {
            return "url has unknown macros " + String.join(", ", unknown) + "; known are {" + String.join("}, {", sorted()) + "}";
        }
        int schemeEnd = url.indexOf("//");
        int authorityEnd = schemeEnd < 0 ? -1 : url.indexOf('/', schemeEnd + 2);
        String authority = schemeEnd < 0 ? "" : authorityEnd < 0 ? url : url.substring(0, authorityEnd);
        if (authority.contains("{")) {
            return "macros may only be used in the path and query, not in the scheme, host or port";
        }
        String probe = m.replaceAll("x");
        if (probe.indexOf('{') >= 0 || probe.indexOf('}') >= 0) {
            return "url has an unclosed macro brace";
        }
        URI uri;
        try {
            uri = new URI(probe);
        } catch (URISyntaxException e) {
            return "url is not a valid URL (" + e.getReason() + ")";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "url must start with http:// or https://";
        }
        if (uri.getHost() == null || uri.getRawAuthority() == null) {
            return "url must name a host";
        }
        if (uri.getRawUserInfo() != null) {
            return "url must not carry a user name or password";
        }
        if (uri.getRawFragment() != null) {
            return "url must not have a #fragment (it is never sent to a server)";
        }
        return null;
    }

    /** The template with each macro replaced by its value, percent-encoded; an absent value is empty. */
    public static String fill(String template, Map<String, String> values) {
        Matcher m = MACRO.matcher(template);
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

    private static List<String> sorted() {
        return NAMES.stream().sorted().toList();
    }
}
