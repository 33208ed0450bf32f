package io.affnet.command.postback;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a postback in the parameter shapes advertisers already send to TUNE/HasOffers, Everflow,
 * Voluum, Keitaro and Binom. The first alias present wins. A value that is an unreplaced macro
 * ({@code {aff_sub}}, {@code [clickid]}, {@code %clickid%}, {@code REPLACE}, {@code #sale#}) counts as
 * absent: the advertiser's template was not filled, not a value.
 */
public final class PostbackParser {

    public static final List<String> CLICK_ID = List.of("click_id", "clickid", "cid", "subid", "transaction_id", "cnv_id");
    public static final List<String> TRANSACTION_ID = List.of("txn_id", "txid", "tid", "adv_sub", "order_id");
    public static final List<String> GOAL = List.of("goal", "event", "et", "goal_id");
    public static final List<String> AMOUNT = List.of("amount", "sale_amount", "payout", "sum");
    public static final List<String> STATUS = List.of("status", "cnv_status");
    public static final int MAX_VALUE = 500;
    /**
     * The largest amount a postback or pixel may report: {@link io.affnet.api.common.Money#MAX_MINOR} minor
     * units of its currency when it names one, else (the offer's currency applies) this many major units,
     * {@code MAX_MINOR} at two decimals. Above it, a report is refused at intake, so no conversion,
     * commission or balance can overflow a {@code long} of minor units.
     */
    public static final BigDecimal MAX_AMOUNT = BigDecimal.valueOf(io.affnet.api.common.Money.MAX_MINOR).movePointLeft(2);

    private static final Pattern MACRO = Pattern.compile("^(\\{[^}]*}|\\[[^]]*]|%[^%]*%|#[^#]*#|\\$\\{[^}]*}|REPLACE|null|undefined)$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,15}([.,][0-9]{1,8})?");
    private static final Pattern GROUPED = Pattern.compile("[0-9]{1,3}([.,' ][0-9]{3})+([.,][0-9]{1,8})?");

    private PostbackParser() {
    }

    /** The parts of a postback, each null when absent. */
    public record Parsed(String clickId, String transactionId, String goal, BigDecimal amount, String currency,
                         String status, String token, String customerEmail) {
    }

    /** A postback the platform cannot read; the message says which parameter and why. */
    public static final class MalformedPostbackException extends RuntimeException {
        private final String parameter;

        public MalformedPostbackException(String parameter, String message) {
            super(message);
            this.parameter = parameter;
        }

        public String parameter() {
            return parameter;
        }
    }

    public static Parsed parse(Map<String, String[]> parameters) {
        for (Map.Entry<String, String[]> e : parameters.entrySet()) {
            for (String v : e.getValue()) {
                if (v != null && v.length() > MAX_VALUE) {
                    throw new MalformedPostbackException(e.getKey(), "Parameter '" + e.getKey() + "' is longer than "
                            + MAX_VALUE + " characters.");
                }
                if (v != null && hasControlCharacter(v)) {
                    throw new MalformedPostbackException(e.getKey(), "Parameter '" + e.getKey()
                            + "' contains a control character (such as NUL); send printable text only.");
                }
            }
        }
        String amountRaw = first(parameters, AMOUNT);
        BigDecimal amount = amountRaw == null ? null : amount(amountRaw, AMOUNT.stream()
                .filter(parameters::containsKey).findFirst().orElse("amount"));
        String currency = first(parameters, List.of("currency", "cur"));
        if (currency != null && !CURRENCY.matcher(currency).matches()) {
            throw new MalformedPostbackException("currency", "Parameter 'currency' must be a three-letter ISO-4217 code.");
        }
        if (currency != null) {
            currency = currency.toUpperCase(Locale.ROOT);
            try {
                java.util.Currency.getInstance(currency);
            } catch (IllegalArgumentException e) {
                throw new MalformedPostbackException("currency", "Parameter 'currency' is not a known ISO-4217 code.");
            }
        }
        if (amount != null && currency != null && amount.movePointRight(Math.max(0,
                java.util.Currency.getInstance(currency).getDefaultFractionDigits())).compareTo(
                BigDecimal.valueOf(io.affnet.api.common.Money.MAX_MINOR)) > 0) {
            throw new MalformedPostbackException("amount", "The amount is above the largest accepted ("
                    + io.affnet.api.common.Money.MAX_MINOR + " minor units of " + currency + ").");
        }
        return new Parsed(first(parameters, CLICK_ID), first(parameters, TRANSACTION_ID), first(parameters, GOAL), amount,
                currency, first(parameters, STATUS), first(parameters, List.of("token", "security_token", "key")),
                first(parameters, List.of("email", "customer_email")));
    }

    /** Accepts 12.50, 12,50, 1,234.56, 1.234,56 and 1 234,56; the last separator is the decimal one. */
    static BigDecimal amount(String raw, String parameter) {
        String v = raw.trim();
        String normalised;
        if (NUMBER.matcher(v).matches()) {
            normalised = v.replace(',', '.');
        } else if (GROUPED.matcher(v).matches()) {
            int lastDot = v.lastIndexOf('.');
            int lastComma = v.lastIndexOf(',');
            int decimal = Math.max(lastDot, lastComma);
            String digitsAfter = v.substring(decimal + 1);
            boolean hasDecimals = decimal > 0 && digitsAfter.length() != 3
                    || (lastDot > 0 && lastComma > 0);
            if (hasDecimals) {
                normalised = v.substring(0, decimal).replaceAll("[.,' ]", "") + "." + digitsAfter;
            } else {
                normalised = v.replaceAll("[.,' ]", "");
            }
        } else {
            throw new MalformedPostbackException(parameter, "Parameter '" + parameter + "' must be a non-negative number "
                    + "such as 12.50 or 12,50.");
        }
        BigDecimal amount = new BigDecimal(normalised);
        if (amount.compareTo(MAX_AMOUNT) > 0) {
            throw new MalformedPostbackException(parameter, "Parameter '" + parameter + "' is above the largest amount "
                    + "accepted (" + MAX_AMOUNT.toPlainString() + ").");
        }
        return amount;
    }

    /** C0 and C1 controls and DEL; a tab or line break has no place in an id or a word either. */
    private static boolean hasControlCharacter(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (Character.isISOControl(v.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static String first(Map<String, String[]> parameters, List<String> aliases) {
        for (String alias : aliases) {
            String[] values = parameters.get(alias);
            if (values == null) {
                continue;
            }
            for (String v : values) {
                if (v != null && !v.isBlank() && !MACRO.matcher(v.trim()).matches()) {
                    return v.trim();
                }
            }
        }
        return null;
    }
}
