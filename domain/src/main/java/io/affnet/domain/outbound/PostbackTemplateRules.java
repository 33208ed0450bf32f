package io.affnet.domain.outbound;

import io.affnet.api.outbound.PostbackMacros;
import io.affnet.api.outbound.PostbackTemplate;
import io.affnet.domain.config.InvalidConfigurationException;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What an affiliate's list of postback templates must satisfy before it is accepted. */
public final class PostbackTemplateRules {

    private PostbackTemplateRules() {
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
            String problem = PostbackMacros.problem(t.url());
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
}
