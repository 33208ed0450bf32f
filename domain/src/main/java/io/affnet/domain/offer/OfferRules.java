package io.affnet.domain.offer;

import io.affnet.api.offer.Caps;
import io.affnet.api.offer.Goal;
import io.affnet.api.offer.OfferTerms;
import io.affnet.api.offer.PixelSettings;
import io.affnet.domain.config.ConfigRules;
import io.affnet.domain.config.InvalidConfigurationException;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** The invariants every version of an offer's terms must satisfy, whoever sends them. */
public final class OfferRules {

    public static final int MAX_GOAL_NAME_LENGTH = 64;
    public static final int MAX_GOALS = 100;
    public static final long MAX_WINDOW_SECONDS = 365L * 24 * 3600;
    /** The device classes the click path's user-agent classifier reports. */
    public static final Set<String> DEVICE_CLASSES =
            Set.of("desktop", "phone", "tablet", "tv", "console", "wearable", "bot", "unknown");
    public static final int MAX_PIXEL_DOMAINS = 50;
    /** The highest pixel amount ceiling, in minor units: ten million in the offer currency's major unit. */
    public static final long MAX_PIXEL_AMOUNT_MINOR = 1_000_000_000L;
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private OfferRules() {
    }

    public static void validate(OfferTerms terms) {
        if (terms == null) {
            throw new InvalidConfigurationException("terms", "terms are required");
        }
        ConfigRules.requireName("name", terms.name());
        ConfigRules.requireText("advertiserId", terms.advertiserId(), 64);
        ConfigRules.requireUrlTemplate("destinationUrl", terms.destinationUrl());
        ConfigRules.requireCurrency("currency", terms.currency());
        if (terms.status() == null) {
            throw new InvalidConfigurationException("status", "status must be ACTIVE or PAUSED");
        }
        validateGoals(terms);
        if (terms.attributionWindowSeconds() < 1 || terms.attributionWindowSeconds() > MAX_WINDOW_SECONDS) {
            throw new InvalidConfigurationException("attributionWindowSeconds",
                    "attributionWindowSeconds must be between 1 and " + MAX_WINDOW_SECONDS + " (365 days)");
        }
        validateCaps(terms.caps());
        if (terms.allowedCountries() == null) {
            throw new InvalidConfigurationException("allowedCountries", "allowedCountries is required (empty = everywhere)");
        }
        for (String country : terms.allowedCountries()) {
            if (country == null || !COUNTRIES.contains(country)) {
                throw new InvalidConfigurationException("allowedCountries", "allowedCountries has '" + country
                        + "', which is not an upper-case ISO-3166 alpha-2 code such as DE");
            }
        }
        if (terms.allowedDeviceClasses() == null) {
            throw new InvalidConfigurationException("allowedDeviceClasses",
                    "allowedDeviceClasses is required (empty = every device)");
        }
        for (String device : terms.allowedDeviceClasses()) {
            if (!DEVICE_CLASSES.contains(device)) {
                throw new InvalidConfigurationException("allowedDeviceClasses", "allowedDeviceClasses has '" + device
                        + "'; allowed: desktop, phone, tablet, tv, console, wearable, bot, unknown");
            }
        }
        if (terms.fallbackUrl() != null) {
            ConfigRules.requireUrlTemplate("fallbackUrl", terms.fallbackUrl());
        }
    }

    public static void validatePixel(PixelSettings pixel) {
        if (pixel == null) {
            throw new InvalidConfigurationException("pixel", "pixel settings are required");
        }
        if (pixel.allowedReferrerDomains().size() > MAX_PIXEL_DOMAINS) {
            throw new InvalidConfigurationException("allowedReferrerDomains",
                    "allowedReferrerDomains has at most " + MAX_PIXEL_DOMAINS + " domains");
        }
        for (String domain : pixel.allowedReferrerDomains()) {
            if (!ConfigRules.isHostName(domain)) {
                throw new InvalidConfigurationException("allowedReferrerDomains", "allowedReferrerDomains has '" + domain
                        + "', which is not a lower-case domain name such as shop.example.com");
            }
        }
        if (pixel.maxAmountMinor() != null
                && (pixel.maxAmountMinor() < 0 || pixel.maxAmountMinor() > MAX_PIXEL_AMOUNT_MINOR)) {
            throw new InvalidConfigurationException("maxAmount", "maxAmount must be at most "
                    + MAX_PIXEL_AMOUNT_MINOR + " minor units of the offer currency, or null for no amount");
        }
    }

    private static void validateGoals(OfferTerms terms) {
        if (terms.goals() == null || terms.goals().isEmpty()) {
            throw new InvalidConfigurationException("goals", "an offer needs at least one goal");
        }
        if (terms.goals().size() > MAX_GOALS) {
            throw new InvalidConfigurationException("goals", "an offer has at most " + MAX_GOALS + " goals");
        }
        Set<String> names = new HashSet<>();
        for (Goal goal : terms.goals()) {
            if (goal == null) {
                throw new InvalidConfigurationException("goals", "a goal must not be null");
            }
            if (goal.name() == null || goal.name().isBlank() || goal.name().length() > MAX_GOAL_NAME_LENGTH) {
                throw new InvalidConfigurationException("goals.name",
                        "a goal name is required and at most " + MAX_GOAL_NAME_LENGTH + " characters");
            }
            if (!names.add(goal.name())) {
                throw new InvalidConfigurationException("goals.name", "goal '" + goal.name() + "' appears twice");
            }
            if (goal.revenue() == null) {
                throw new InvalidConfigurationException("goals.revenue", "goal '" + goal.name() + "' needs a revenue");
            }
            if (goal.payout() == null) {
                throw new InvalidConfigurationException("goals.payout", "goal '" + goal.name() + "' needs a payout");
            }
            ConfigRules.requireAmount("goals.revenue", goal.revenue());
            ConfigRules.requireAmount("goals.payout", goal.payout());
        }
    }

    private static void validateCaps(Caps caps) {
        if (caps == null) {
            throw new InvalidConfigurationException("caps", "caps are required (null values = no cap)");
        }
        Long[] values = {caps.daily(), caps.monthly(), caps.lifetime(),
                caps.perAffiliateDaily(), caps.perAffiliateMonthly(), caps.perAffiliateLifetime()};
        for (Long value : values) {
            if (value != null && value < 0) {
                throw new InvalidConfigurationException("caps", "a cap must be at least 0 (or null for none)");
            }
        }
    }
}
