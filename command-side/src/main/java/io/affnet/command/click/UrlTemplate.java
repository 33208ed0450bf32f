package io.affnet.command.click;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * Fills the macros of a destination URL template ({@code {click_id}}, {@code {sub1}}, ...). Values are
 * URL-encoded; a macro with no value becomes empty, so no literal {@code {sub3}} ever reaches an
 * advertiser.
 */
public final class UrlTemplate {

    public static final Set<String> CLICK_MACROS = Set.of("click_id", "affiliate_id", "offer_id", "link_id",
            "sub1", "sub2", "sub3", "sub4", "sub5", "sub6", "sub7", "sub8", "sub9", "sub10", "source");

    private UrlTemplate() {
    }

    public static String fill(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder(template.length() + 64);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{') {
                int end = template.indexOf('}', i + 1);
                if (end > i) {
                    String name = template.substring(i + 1, end);
                    if (CLICK_MACROS.contains(name)) {
                        String value = values.get(name);
                        if (value != null) {
                            out.append(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
                        }
                        i = end + 1;
                        continue;
                    }
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }
}
