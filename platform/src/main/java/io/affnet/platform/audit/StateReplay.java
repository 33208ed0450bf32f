package io.affnet.platform.audit;

import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.api.conversion.ConversionAdjustedEvent;
import io.affnet.api.conversion.ConversionRecordedEvent;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.conversion.ConversionStatusChangedEvent;
import io.affnet.api.tenant.TenantRegisteredEvent;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A tenant's figures recomputed from its events alone, in memory: it never reads or writes a live view.
 * Each figure has a name ({@code balance/<affiliate>/<currency>/pendingMinor},
 * {@code conversions/APPROVED}, {@code report/<day>/<offer>/<affiliate>/clicks},
 * {@code report/.../revenue/<currency>}), so two states compare field by field and an event can say which
 * figures it moved. The rules are the live views' own: commissions as {@code CommissionProjection} keeps
 * them (a status moves only from the status it had), reports as {@code ReportProjection} and the report
 * API count them (every click; every credited conversion on its conversion day under its current status;
 * revenue and payout of pending and approved conversions, per currency; days in the tenant's zone).
 * <p>
 * The payout ledger will add its balances as one more {@link Fold}: a fold sees every event in order and
 * names its figures.
 */
public final class StateReplay {

    /** One family of figures, built from events in commit order. */
    public interface Fold {
        /** Applies an event (a click as a {@link ClickFact}); returns the names of the figures it changed (empty when none). */
        List<String> apply(Object payload, Instant timestamp);

        /** Adds this fold's figures to {@code into}. */
        void figures(Map<String, Long> into);
    }

    /**
     * What the figures read of a click: a {@link ClickRecordedEvent} is applied as this, and the replay's
     * reader decodes stored clicks straight into it ({@link TenantReplay}).
     */
    public record ClickFact(io.affnet.api.common.TenantId tenantId, String offerId, String affiliateId, Instant clickedAt) {
        static ClickFact of(ClickRecordedEvent c) {
            return new ClickFact(c.tenantId(), c.offerId(), c.affiliateId(), c.clickedAt());
        }
    }

    /** The events a replay needs (everything else is skipped before it is deserialised). */
    public static final Set<String> TYPES = Set.of(ClickRecordedEvent.class.getName(), ConversionRecordedEvent.class.getName(),
            ConversionStatusChangedEvent.class.getName(), ConversionAdjustedEvent.class.getName(),
            TenantRegisteredEvent.class.getName());

    private final String affiliateFilter;
    private final String offerFilter;
    private final List<Fold> folds = new ArrayList<>();
    private final Conversions conversions = new Conversions();
    private final Reports reports = new Reports();
    private ZoneId zone = ZoneOffset.UTC;
    private long events;

    /** @param affiliateId null or one affiliate; @param offerId null or one offer */
    public StateReplay(String affiliateId, String offerId) {
        this.affiliateFilter = affiliateId;
        this.offerFilter = offerId;
        folds.add(conversions);
        folds.add(reports);
    }

    /** Adds a fold (the ledger's balances, once they exist). */
    public StateReplay with(Fold fold) {
        folds.add(fold);
        return this;
    }

    public List<String> apply(Object payload, Instant timestamp) {
        if (payload instanceof ClickRecordedEvent c) {
            payload = ClickFact.of(c);
        }
        if (payload instanceof TenantRegisteredEvent t && t.timezone() != null) {
            zone = ZoneId.of(t.timezone());
        }
        if (!wanted(payload)) {
            return List.of();
        }
        events++;
        List<String> changed = new ArrayList<>();
        for (Fold f : folds) {
            changed.addAll(f.apply(payload, timestamp));
        }
        return changed;
    }

    /** Every figure, by name, in name order. */
    public Map<String, Long> figures() {
        Map<String, Long> all = new TreeMap<>();
        folds.forEach(f -> f.figures(all));
        all.values().removeIf(v -> v == 0);
        return all;
    }

    public long events() {
        return events;
    }

    public ZoneId zone() {
        return zone;
    }

    private boolean wanted(Object payload) {
        String affiliate;
        String offer;
        if (payload instanceof ClickFact c) {
            affiliate = c.affiliateId();
            offer = c.offerId();
        } else if (payload instanceof ConversionRecordedEvent c) {
            affiliate = c.affiliateId();
            offer = c.offerId();
        } else if (payload instanceof ConversionStatusChangedEvent c) {
            affiliate = c.affiliateId();
            offer = c.offerId();
        } else if (payload instanceof ConversionAdjustedEvent c) {
            affiliate = c.affiliateId();
            offer = c.offerId();
        } else {
            return true;
        }
        return (affiliateFilter == null || affiliateFilter.equals(affiliate)) && (offerFilter == null || offerFilter.equals(offer));
    }

    private String day(Instant at) {
        return LocalDate.ofInstant(at, zone).toString();
    }

    private static String id(String value) {
        return value == null ? "-" : value;
    }

    /** A credited conversion as the replay remembers it. */
    private record Conversion(String affiliateId, String offerId, String currency, long payout, long revenue, String day,
                              ConversionStatus status) {
        Conversion with(ConversionStatus next) {
            return new Conversion(affiliateId, offerId, currency, payout, revenue, day, next);
        }

        Conversion with(long newPayout, long newRevenue) {
            return new Conversion(affiliateId, offerId, currency, newPayout, newRevenue, day, status);
        }
    }

    private final Map<String, Conversion> byId = new HashMap<>();

    /** Commission balances per affiliate and currency, and conversion counts by status. */
    private final class Conversions implements Fold {
        private final Map<String, Long> figures = new HashMap<>();

        @Override
        public List<String> apply(Object payload, Instant timestamp) {
            if (payload instanceof ConversionRecordedEvent e) {
                if (byId.containsKey(e.conversionId())) {
                    return List.of();
                }
                Conversion c = new Conversion(e.affiliateId(), e.offerId(), e.payout().currency(), e.payout().minor(),
                        e.revenue().minor(), day(e.convertedAt()), e.status());
                byId.put(e.conversionId(), c);
                List<String> changed = new ArrayList<>();
                add(changed, c, 1);
                reports.conversion(changed, c, 1);
                return changed;
            }
            if (payload instanceof ConversionStatusChangedEvent e) {
                Conversion before = byId.get(e.conversionId());
                if (before == null || before.status() != e.from()) {
                    return List.of();
                }
                return replace(e.conversionId(), before, before.with(e.to()));
            }
            if (payload instanceof ConversionAdjustedEvent e) {
                Conversion before = byId.get(e.conversionId());
                if (before == null || before.status() != e.status()) {
                    return List.of();
                }
                return replace(e.conversionId(), before, before.with(e.payout().minor(), e.revenue().minor()));
            }
            return List.of();
        }

        private List<String> replace(String conversionId, Conversion before, Conversion after) {
            byId.put(conversionId, after);
            List<String> changed = new ArrayList<>();
            add(changed, before, -1);
            add(changed, after, 1);
            reports.conversion(changed, before, -1);
            reports.conversion(changed, after, 1);
            return changed;
        }

        private void add(List<String> changed, Conversion c, int sign) {
            bump(changed, "conversions/" + c.status(), sign);
            String balance = "balance/" + id(c.affiliateId()) + "/" + c.currency() + "/";
            switch (c.status()) {
                case PENDING -> {
                    bump(changed, balance + "pendingMinor", Math.multiplyExact(sign, c.payout()));
                    bump(changed, balance + "pendingConversions", sign);
                }
                case APPROVED -> {
                    bump(changed, balance + "approvedMinor", Math.multiplyExact(sign, c.payout()));
                    bump(changed, balance + "approvedConversions", sign);
                }
                case REVERSED -> bump(changed, balance + "reversedMinor", Math.multiplyExact(sign, c.payout()));
                case REJECTED -> {
                    // a rejected commission is owed to nobody: no balance moves
                }
            }
        }

        private void bump(List<String> changed, String figure, long delta) {
            if (delta != 0) {
                figures.merge(figure, delta, Math::addExact);
                changed.add(figure);
            }
        }

        @Override
        public void figures(Map<String, Long> into) {
            into.putAll(figures);
        }
    }

    /** Report totals per day, offer and affiliate: clicks, conversions, revenue and payout per currency. */
    private final class Reports implements Fold {
        private final Map<String, Long> figures = new HashMap<>();

        @Override
        public List<String> apply(Object payload, Instant timestamp) {
            if (payload instanceof ClickFact c) {
                String figure = row(day(c.clickedAt()), c.offerId(), c.affiliateId()) + "clicks";
                figures.merge(figure, 1L, Math::addExact);
                return List.of(figure);
            }
            return List.of();
        }

        void conversion(List<String> changed, Conversion c, int sign) {
            String row = row(c.day(), c.offerId(), c.affiliateId());
            bump(changed, row + "conversions", sign);
            if (c.status() == ConversionStatus.PENDING || c.status() == ConversionStatus.APPROVED) {
                bump(changed, row + "revenue/" + c.currency(), Math.multiplyExact(sign, c.revenue()));
                bump(changed, row + "payout/" + c.currency(), Math.multiplyExact(sign, c.payout()));
            }
        }

        private void bump(List<String> changed, String figure, long delta) {
            if (delta != 0) {
                figures.merge(figure, delta, Math::addExact);
                changed.add(figure);
            }
        }

        private String row(String day, String offer, String affiliate) {
            return "report/" + day + "/" + id(offer) + "/" + id(affiliate) + "/";
        }

        @Override
        public void figures(Map<String, Long> into) {
            into.putAll(figures);
        }
    }
}
