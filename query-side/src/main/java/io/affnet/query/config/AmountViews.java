package io.affnet.query.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.affnet.api.common.MoneyJson;

import java.util.function.Function;

/**
 * Shows the amounts of stored configuration (minor units, basis points) the way the API takes them:
 * {@code {"amount":"2.50","currency":"EUR"}} or {@code {"percent":"12.5"}}.
 */
final class AmountViews {

    private AmountViews() {
    }

    /** Rewrites an offer's goals or an affiliate's payout overrides in place. */
    static void rewrite(ObjectNode entity, Function<String, String> offerCurrency) {
        String currency = entity.path("currency").asText(null);
        for (JsonNode goal : entity.path("goals")) {
            if (goal instanceof ObjectNode g) {
                g.set("revenue", amount(g.get("revenue"), currency));
                g.set("payout", amount(g.get("payout"), currency));
            }
        }
        for (JsonNode override : entity.path("payoutOverrides")) {
            if (override instanceof ObjectNode o) {
                JsonNode payout = o.get("payout");
                boolean fixed = payout != null && "FIXED".equals(payout.path("kind").asText());
                o.set("payout", amount(payout, fixed ? offerCurrency.apply(o.path("offerId").asText()) : null));
            }
        }
    }

    private static JsonNode amount(JsonNode stored, String currency) {
        if (stored == null || !stored.has("kind") || !stored.has("value")) {
            return stored;
        }
        ObjectNode view = (ObjectNode) stored.deepCopy();
        long value = stored.get("value").asLong();
        view.remove("kind");
        view.remove("value");
        if ("PERCENT".equals(stored.get("kind").asText())) {
            view.put("percent", MoneyJson.percent(value));
        } else if (currency != null) {
            view.put("amount", MoneyJson.amount(value, currency));
            view.put("currency", currency);
        } else {
            return stored;
        }
        return view;
    }
}
