package io.affnet.query.report;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a report can count. Conversions are credited ones whatever their status; revenue and payout
 * (and profit, EPC) count only conversions still owed, i.e. pending or approved, per currency and
 * converted into the tenant's currency. CR = conversions / clicks; EPC = payout / clicks.
 * Unique clicks are the row's clicks that count as unique: the click-time flag "first click of this
 * visitor on this offer within the window" (a click without the flag counts as unique). It is decided
 * once, when the click is recorded, so it adds up across rows and time buckets.
 */
public enum Metric {
    CLICKS("clicks", false),
    UNIQUE_CLICKS("unique_clicks", false),
    CONVERSIONS("conversions", false),
    CONVERSIONS_PENDING("conversions_pending", false),
    CONVERSIONS_APPROVED("conversions_approved", false),
    CONVERSIONS_REJECTED("conversions_rejected", false),
    CONVERSIONS_REVERSED("conversions_reversed", false),
    REJECTED_REPORTS("rejected_reports", false),
    CR("cr", false),
    REVENUE("revenue", true),
    PAYOUT("payout", true),
    PROFIT("profit", true),
    EPC("epc", true);

    private final String apiName;
    private final boolean money;

    Metric(String apiName, boolean money) {
        this.apiName = apiName;
        this.money = money;
    }

    public String apiName() {
        return apiName;
    }

    public boolean isMoney() {
        return money;
    }

    public static Optional<Metric> byName(String name) {
        return Arrays.stream(values()).filter(m -> m.apiName.equals(name)).findFirst();
    }
}
