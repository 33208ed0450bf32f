package io.affnet.api.outbound;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The vocabulary of outbound postback URLs: the macro names, how a macro is written and the size limits.
 * The rules a template must follow are the domain's ({@code PostbackTemplateRules}); filling a template
 * is delivery's ({@code PostbackUrls} in sagas).
 */
public final class PostbackMacros {

    public static final int MAX_URL_LENGTH = 2048;
    public static final int MAX_TEMPLATES = 200;
    public static final Set<String> NAMES;
    /** A macro as written in a template: {@code {name}}; group 1 is the name. */
    public static final Pattern MACRO = Pattern.compile("\\{([^{}]*)}");

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

    /** The known names, sorted, for messages. */
    public static List<String> sortedNames() {
        return NAMES.stream().sorted().toList();
    }
}
