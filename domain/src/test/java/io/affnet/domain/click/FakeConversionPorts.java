package io.affnet.domain.click;

import io.affnet.api.common.TenantId;
import io.affnet.api.conversion.ExchangeRate;
import io.affnet.api.conversion.FraudRules;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** In-memory stand-ins for the click's ports, for fixture tests of its real command handler. */
final class FakeConversionPorts {

    final Set<TenantId> suspended = new HashSet<>();
    final Set<String> allowedSenders = new HashSet<>();
    final Map<String, ExchangeRate> rates = new HashMap<>();
    final Map<String, String> transactionIds = new HashMap<>();
    final Map<String, Long> counts = new HashMap<>();
    FraudRules fraud = FraudRules.defaults();
    io.affnet.api.conversion.ReviewRules review = io.affnet.api.conversion.ReviewRules.none();
    String affiliateEmailHash;

    final ConversionContext context = new ConversionContext() {
        @Override
        public boolean active(TenantId tenant) {
            return !suspended.contains(tenant);
        }

        @Override
        public boolean admitsSender(TenantId tenant, String advertiserId, String senderIp) {
            return allowedSenders.isEmpty() || allowedSenders.contains(senderIp);
        }

        @Override
        public io.affnet.api.offer.PixelSettings pixel(TenantId tenant, String offerId) {
            return io.affnet.api.offer.PixelSettings.off();
        }

        @Override
        public boolean advertiserHasAllowlist(TenantId tenant, String advertiserId) {
            return !allowedSenders.isEmpty();
        }

        @Override
        public FraudRules fraudRules(TenantId tenant) {
            return fraud;
        }

        @Override
        public io.affnet.api.conversion.ReviewRules reviewRules(TenantId tenant) {
            return review;
        }

        @Override
        public String affiliateEmailHash(TenantId tenant, String affiliateId) {
            return affiliateEmailHash;
        }

        @Override
        public ZoneId zone(TenantId tenant) {
            return ZoneId.of("UTC");
        }
    };

    /** A fixture of the click's real command handlers with these ports injected. */
    org.axonframework.test.aggregate.AggregateTestFixture<Click> fixture() {
        org.axonframework.test.aggregate.AggregateTestFixture<Click> fixture =
                new org.axonframework.test.aggregate.AggregateTestFixture<>(Click.class);
        fixture.registerInjectableResource(context);
        fixture.registerInjectableResource(rateSource);
        fixture.registerInjectableResource(txns);
        fixture.registerInjectableResource(caps);
        return fixture;
    }

    final ExchangeRateSource rateSource = (from, to) -> Optional.ofNullable(rates.get(from + to));

    final TransactionIds txns = new TransactionIds() {
        @Override
        public boolean claim(TenantId tenant, String offerId, String goal, String transactionId, String clickId,
                             String conversionId) {
            return transactionIds.putIfAbsent(key(tenant, offerId, goal, transactionId), conversionId) == null;
        }

        @Override
        public boolean claimed(TenantId tenant, String offerId, String goal, String transactionId) {
            return transactionIds.containsKey(key(tenant, offerId, goal, transactionId));
        }
    };

    final CapLedger caps = limits -> {
        boolean full = limits.entrySet().stream().anyMatch(e -> counts.getOrDefault(e.getKey(), 0L) >= e.getValue());
        return new CapLedger.Hold() {
            @Override
            public boolean full() {
                return full;
            }

            @Override
            public void take() {
                limits.keySet().forEach(k -> counts.merge(k, 1L, Long::sum));
            }
        };
    };

    static String key(TenantId tenant, String offerId, String goal, String transactionId) {
        return tenant.value() + '/' + offerId + '/' + goal + '/' + transactionId;
    }
}
