package io.affnet.domain.outbound;

import io.affnet.api.outbound.PostbackMacros;
import io.affnet.api.outbound.PostbackMethod;
import io.affnet.api.outbound.PostbackTemplate;
import io.affnet.domain.config.InvalidConfigurationException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;

/** What an affiliate's list of postback templates must satisfy before it is accepted. */
public final class PostbackTemplateRules {

    private PostbackTemplateRules() {
    }

    /** A payout template: topic payouts, POST, no offer or goal, a URL without macros (the event is in the body). */
    private static void payoutTemplate(PostbackTemplate t, String field) {
        if (!PostbackTemplate.PAYOUTS.equals(t.topic())) {
            throw new InvalidConfigurationException(field + ".topic", field + ".topic must be left out (conversions) or 'payouts'");
        }
        if (t.offerId() != null || t.goal() != null) {
            throw new InvalidConfigurationException(field, field + ": a payouts template has no offerId and no goal");
        }
        if (t.method() != PostbackMethod.POST) {
            throw new InvalidConfigurationException(field + ".method", field + ".method must be POST for payouts (a signed JSON body)");
        }
        if (t.url() != null && t.url().indexOf('{') >= 0) {
            throw new InvalidConfigurationException(field + ".url", field + ".url of a payouts template takes no macros (the event is the JSON body)");
        }
        String problem = urlProblem(t.url());
        if (problem != null) {
            throw new InvalidConfigurationException(field + ".url", field + "." + problem);
        }
    }

    public static void validate(List<PostbackTemplate> templates) {
        if (templates == null) {
            throw new InvalidConfigurationException("templates", "templates is required (an empty list removes all)");
        }
        if (templates.size() > PostbackMacros.MAX_TEMPLATES) {
            throw new InvalidConfigurationException("templates", "at most " + PostbackMacros.MAX_TEMPLATES + " templates");
        }
        Set<String> scopes = new HashSet<>();
        for (int i = 0; i < templates.size(); i++) {
            PostbackTemplate t = templates.get(i);
            String field = "templates[" + i + "]";
            if (t == null) {
                throw new InvalidConfigurationException(field, field + " must not be null");
            }
            if (t.method() == null) {
                throw new InvalidConfigurationException(field + ".method", field + ".method must be GET or POST");
            }
            if (t.topic() != null) {
                payoutTemplate(t, field);
                if (!scopes.add("topic\u0000" + t.topic())) {
                    throw new InvalidConfigurationException(field, field + " repeats the payouts template (only one)");
                }
                continue;
            }
            String problem = urlProblem(t.url());
            if (problem != null) {
                throw new InvalidConfigurationException(field + ".url", field + "." + problem);
            }
            if (t.goal() != null && t.offerId() == null) {
                throw new InvalidConfigurationException(field + ".goal", field + ".goal needs an offerId");
            }
            if ((t.offerId() != null && (t.offerId().isBlank() || t.offerId().length() > 64))
                    || (t.goal() != null && (t.goal().isBlank() || t.goal().length() > 64))) {
                throw new InvalidConfigurationException(field, field + ": offerId and goal must be 1..64 characters");
            }
            if (!scopes.add(t.offerId() + "\u0000" + t.goal())) {
                throw new InvalidConfigurationException(field, field + " repeats the scope of an earlier template"
                        + (t.offerId() == null ? " (only one global template)" : ""));
            }
        }
    }

    /** What is wrong with a template URL, or null if it is usable. */
    public static String urlProblem(String url) {
        if (url == null || url.isBlank()) {
            return "url is required";
        }
        if (url.length() > PostbackMacros.MAX_URL_LENGTH) {
            return "url is longer than " + PostbackMacros.MAX_URL_LENGTH + " characters";
        }
        Matcher m = PostbackMacros.MACRO.matcher(url);
        List<String> unknown = new ArrayList<>();
        while (m.find()) {
            if (!PostbackMacros.NAMES.contains(m.group(1))) {
                unknown.add("{" + m.group(1) + "}");
            }
        }
        if (!unknown.isEmpty()) {
            return "url has unknown macros " + String.join(", ", unknown) + "; known are {" + String.join("}, {", PostbackMacros.sortedNames()) + "}";
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
}
