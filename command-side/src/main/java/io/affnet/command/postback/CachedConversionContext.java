package io.affnet.command.postback;

import io.affnet.api.common.Cidr;
import io.affnet.api.common.TenantId;
import io.affnet.api.config.CachedAffiliate;
import io.affnet.api.conversion.FraudRules;
import io.affnet.api.offer.PixelSettings;
import io.affnet.command.click.ClickConfigCache;
import io.affnet.domain.click.ConversionContext;
import io.affnet.domain.click.CustomerEmails;

import java.time.ZoneId;
import java.util.List;

/** A click's view of its tenant, from the in-process caches the postback path keeps warm. */
public class CachedConversionContext implements ConversionContext {

    private final ClickConfigCache config;
    private final PostbackCredentials credentials;
    private final PostbackCounters counters;
    /**
     * Affiliates' email hashes by address ({@link CustomerEmails#hash} is a pure function of it): a SHA-256 and a hex
     * string per conversion were ~3 % of the conversion writer. Emptied when it reaches {@link #EMAIL_HASHES_MAX}.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, String> emailHashes = new java.util.concurrent.ConcurrentHashMap<>();
    static final int EMAIL_HASHES_MAX = 10_000;

    public CachedConversionContext(ClickConfigCache config, PostbackCredentials credentials, PostbackCounters counters) {
        this.config = config;
        this.credentials = credentials;
        this.counters = counters;
    }

    @Override
    public boolean active(TenantId tenant) {
        return ClickConfigCache.ifAvailable(() -> config.tenant(tenant.value())).map(ClickConfigCache.TenantState::active).orElse(true);
    }

    @Override
    public boolean admitsSender(TenantId tenant, String advertiserId, String senderIp) {
        List<Cidr> allowed = credentials.allowlist(tenant.value(), advertiserId);
        if (allowed.isEmpty() || allowed.stream().anyMatch(range -> range.contains(senderIp))) {
            return true;
        }
        counters.count(tenant.value(), PostbackCounters.Kind.FORBIDDEN);
        return false;
    }

    @Override
    public PixelSettings pixel(TenantId tenant, String offerId) {
        return credentials.pixel(tenant.value(), offerId);
    }

    @Override
    public boolean advertiserHasAllowlist(TenantId tenant, String advertiserId) {
        return !credentials.allowlist(tenant.value(), advertiserId).isEmpty();
    }

    @Override
    public FraudRules fraudRules(TenantId tenant) {
        return credentials.settings(tenant.value()).fraud();
    }

    @Override
    public io.affnet.api.conversion.ReviewRules reviewRules(TenantId tenant) {
        return credentials.settings(tenant.value()).reviewRules();
    }

    @Override
    public String affiliateEmailHash(TenantId tenant, String affiliateId) {
        return ClickConfigCache.ifAvailable(() -> config.affiliate(tenant.value(), affiliateId)).map(CachedAffiliate::profile)
                .map(p -> emailHash(p.email())).orElse(null);
    }

    private String emailHash(String email) {
        if (email == null || email.isBlank()) {
            return null;
        }
        String hash = emailHashes.get(email);
        if (hash == null) {
            if (emailHashes.size() >= EMAIL_HASHES_MAX) {
                emailHashes.clear();
            }
            hash = CustomerEmails.hash(email);
            emailHashes.put(email, hash);
        }
        return hash;
    }

    @Override
    public ZoneId zone(TenantId tenant) {
        String id = ClickConfigCache.ifAvailable(() -> config.tenant(tenant.value())).map(ClickConfigCache.TenantState::timezone).orElse("UTC");
        try {
            return ZoneId.of(id);
        } catch (RuntimeException e) {
            return ZoneId.of("UTC");
        }
    }
}
