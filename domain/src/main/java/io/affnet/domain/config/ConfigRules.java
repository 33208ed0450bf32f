package io.affnet.domain.config;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.common.Text;
import io.affnet.api.offer.Amount;

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
    private static final Pattern HOST_NAME =
            Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?");

    private ConfigRules() {
    }

    /** A lower-case DNS host name with at least two labels, the last alphabetic (so never an IP address). */
    public static boolean isHostName(String value) {
        return value != null && HOST_NAME.matcher(value).matches();
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
        requirePrintable(field, value);
    }

    /** See {@link Text#defect}: no control characters (tab and line breaks aside), no unpaired surrogates. */
    public static void requirePrintable(String field, String value) {
        String defect = Text.defect(value);
        if (defect != null) {
            throw new InvalidConfigurationException(field, field + " " + defect);
        }
    }

    /** A fixed amount is at most {@link Money#MAX_MINOR} minor units (percentages are bounded by {@link Amount}). */
    public static void requireAmount(String field, Amount amount) {
        if (amount != null && amount.kind() == Amount.Kind.FIXED && !Money.withinIntakeLimit(amount.value())) {
            throw new InvalidConfigurationException(field, field + " must be at most " + Money.MAX_MINOR + " minor units");
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
     * An absolute http(s) URL whose macros are all known and lie after its host and port: a macro there
     * would let whoever builds the click link choose where the tracker redirects (an open redirect).
     * Macros are replaced by a plain value before parsing, since braces are not legal in a URI.
     */
    public static void requireUrlTemplate(String field, String value) {
        requireText(field, value, MAX_URL_LENGTH);
        if (!value.contains("://")) {
            // Said first: a relative template is wrong whatever its macros (its path is no host).
            throw new InvalidConfigurationException(field, field + " must be an absolute http or https URL");
        }
        int brace = value.indexOf('{');
        if (brace >= 0 && brace < authorityEnd(value)) {
            throw new InvalidConfigurationException(field, field + " has a macro in its scheme, host or port; macros "
                    + "may only fill the path, query or fragment");
        }
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

    /** Where the scheme and authority of a URL end: the first '/', '?' or '#' after "scheme://". */
    public static int authorityEnd(String url) {
        int start = url.indexOf("://");
        if (start < 0) {
            return url.length();
        }
        for (int i = start + 3; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '/' || c == '?' || c == '#' || c == '\\') {
                return i;
            }
        }
        return url.length();
    }
}
