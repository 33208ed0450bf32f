package io.affnet.command.postback;

import graphql.schema.DataFetchingEnvironment;
import io.affnet.api.conversion.ReviewRules;
import io.affnet.web.auth.Caller;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tenant's postback settings through GraphQL ({@code config.graphqls}, {@code postbackSettings}): answered by
 * {@link PostbackSettingsController}, REST's own code (tenant staff; tokens by id and prefix, never a secret). Maps
 * become lists of entries (sorted by key); amounts are decimal strings.
 */
@Controller
public class PostbackSettingsGraphQlController {

    private final PostbackSettingsController rest;

    public PostbackSettingsGraphQlController(PostbackSettingsController rest) {
        this.rest = rest;
    }

    @QueryMapping
    public Map<String, Object> postbackSettings(DataFetchingEnvironment env) {
        Caller caller = env.getGraphQlContext().get(Caller.REQUEST_ATTRIBUTE);
        PostbackSettingsController.SettingsView view = rest.settings(caller);
        List<Map<String, Object>> words = new ArrayList<>();
        new TreeMap<>(view.settings().statusMap() == null ? Map.of() : view.settings().statusMap())
                .forEach((word, status) -> words.add(entry("word", word, "status", status.name())));
        ReviewRules review = view.settings().reviewRules();
        List<Map<String, Object>> offerHolds = new ArrayList<>();
        new TreeMap<>(review.offerHoldAbove() == null ? Map.<String, BigDecimal>of() : review.offerHoldAbove())
                .forEach((offer, limit) -> offerHolds.add(entry("offerId", offer, "holdAbove", limit.toPlainString())));
        Map<String, Object> reviewView = new LinkedHashMap<>();
        reviewView.put("holdAbove", review.holdAbove() == null ? null : review.holdAbove().toPlainString());
        reviewView.put("offerHoldAbove", offerHolds);
        reviewView.put("holdFlaggedClicks", review.holdFlaggedClicks());
        reviewView.put("advertisersModerate", review.advertisersModerate());
        List<Map<String, Object>> tokens = new ArrayList<>();
        for (Map<String, Object> t : view.tokens()) {
            Map<String, Object> token = new LinkedHashMap<>();
            token.put("tokenId", t.get("tokenId"));
            token.put("prefix", t.get("prefix"));
            token.put("advertiserId", t.get("advertiserId"));
            token.put("issuedAt", instant(t.get("issuedAt")));
            token.put("revokedAt", instant(t.get("revokedAt")));
            tokens.add(token);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("statusMap", words);
        out.put("defaultStatus", view.settings().defaultStatus() == null ? "APPROVED" : view.settings().defaultStatus().name());
        out.put("fraud", view.settings().fraud() == null ? io.affnet.api.conversion.FraudRules.defaults() : view.settings().fraud());
        out.put("review", reviewView);
        out.put("tokens", tokens);
        out.put("unauthorizedAttempts", view.unauthorizedAttempts());
        out.put("forbiddenAttempts", view.forbiddenAttempts());
        return out;
    }

    private static Map<String, Object> entry(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    private static String instant(Object value) {
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant().toString();
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant().toString();
        }
        return value == null ? null : value.toString();
    }
}
