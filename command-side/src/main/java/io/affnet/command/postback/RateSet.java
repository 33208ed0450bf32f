package io.affnet.command.postback;

import io.affnet.api.conversion.ExchangeRate;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One published set of reference rates: units of each currency per one unit of {@code base} on
 * {@code asOf}. Cross rates go through the base, as the ECB's own usage notes describe.
 */
public record RateSet(String source, LocalDate asOf, String base, Map<String, BigDecimal> unitsPerBase) {

    public RateSet {
        TreeMap<String, BigDecimal> rates = new TreeMap<>(unitsPerBase);
        rates.put(base, BigDecimal.ONE);
        unitsPerBase = java.util.Collections.unmodifiableMap(rates);
    }

    public boolean knows(String currency) {
        return currency != null && unitsPerBase.containsKey(currency);
    }

    /** 1 {@code from} = rate {@code to}; empty when either currency is not in the set. */
    public Optional<ExchangeRate> rate(String from, String to) {
        BigDecimal f = unitsPerBase.get(from);
        BigDecimal t = unitsPerBase.get(to);
        if (f == null || t == null || f.signum() <= 0) {
            return Optional.empty();
        }
        BigDecimal rate = t.divide(f, MathContext.DECIMAL64).stripTrailingZeros();
        return Optional.of(new ExchangeRate(from, to, rate.toPlainString(), asOf, source));
    }

    /** The rates as decimal strings, in currency order. */
    public Map<String, String> asText() {
        Map<String, String> text = new TreeMap<>();
        unitsPerBase.forEach((c, v) -> text.put(c, v.toPlainString()));
        return text;
    }

    /** A digest of the content, the same wherever the same set is loaded. */
    public String id() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((source + "|" + asOf + "|" + base + "|" + asText()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
