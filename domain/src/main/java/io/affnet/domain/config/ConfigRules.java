package io.affnet.domain.config;

import io.affnet.api.common.TenantId;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Currency;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Rules every kind of tenant configuration shares: names, currencies, URLs and their macros. */
public final class ConfigRules {

    public static final int MAX_NAME_LENGTH = 200;
    public static final int MAX_URL_LENGTH = 2048;

    /** The macros a destination URL may carry; the click path fills exactly these. */
    public static final Set<String> URL_MACROS = Set.of("click_id", "affiliate_id", "offer_id", "link_id",
            "sub1", "sub2", "sub3", "sub4", "sub5", "sub6", "sub7", "sub8", "sub9", "sub10", "source");

    private static final Pattern MACRO = Pattern.compile("\\{([^{}]*)}");

    private ConfigRules() {
    }

    public static void requireTenant(TenantId tenantId) {
        if (tenantId == null) {
            throw new InvalidConfigurationException("tenantId", "tenant is required");
        }
    }

    public static void requireName(String field, String value) {
        requireText(field, value, MAX_NAME_LENGTH);
    }

    public static void requireText(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new InvalidConfigurationException(field, field + " is required");
        }
        if (value.length() > maxLength) {
            throw new InvalidConfigurationException(field, field + " must be at most " + maxLength + " characters");
        }
    }

    public static void requireCurrency(String field, String value) {
        try {
            Currency.getInstance(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidConfigurationException(field, field + " must be an ISO-4217 code such as EUR");
        }
    }

    /**
     * An absolute http(s) URL whose macros are all known. Macros are replaced by a plain value before
     * parsing, since braces are not legal in a URI.
     */
    public static void requireUrlTemplate(String field, String value) {
        requireText(field, value, MAX_URL_LENGTH);
        Matcher m = MACRO.matcher(value);
        StringBuilder plain = new StringBuilder();
        while (m.find()) {
            if (!URL_MACROS.contains(m.group(1))) {
                throw new InvalidConfigurationException(field, field + " has an unknown macro {" + m.group(1)
                        + "}; allowed: {click_id}, {affiliate_id}, {offer_id}, {link_id}, {sub1}..{sub10}, {source}");
            }
            m.appendReplacement(plain, "x");
        }
        m.appendTail(plain);
        if (plain.indexOf("{") >= 0 || plain.indexOf("}") >= 0) {
            throw new InvalidConfigurationException(field, field + " has an unbalanced '{' or '}'");
        }
        try {
            URI uri = new URI(plain.toString());
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                throw new InvalidConfigurationException(field, field + " must be an absolute http or https URL");
            }
        } catch (URISyntaxException e) {
            throw new InvalidConfigurationException(field, field + " is not a valid URL");
        }
    }
}
