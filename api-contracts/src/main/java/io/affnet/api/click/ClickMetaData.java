package io.affnet.api.click;

import io.affnet.api.common.TenantId;
import org.axonframework.messaging.MetaData;

import java.util.HashMap;
import java.util.Map;

/**
 * What a click's event carries beside its payload, so that a processor can route or leave out a click
 * without deserializing the ~1.2 KB payload: the tenant, the key the report views spread clicks over
 * their segments by ({@link #REPORT_KEY}), and whether the click is a smart-link decision the traffic
 * learner folds in ({@link #LEARNS}).
 * <p>
 * Clicks recorded before these entries existed have only the tenant: readers fall back to the payload
 * for them, so a replay of an old store reads the same as before. The entries are facts of the click
 * (as its payload says them); {@link #reportKey}'s format is stored in events, so it must never change.
 */
public final class ClickMetaData {

    /** The click's tenant (every event of the platform has it). */
    public static final String TENANT = "tenantId";
    /** {@link #reportKey} of the click's tenant, offer and affiliate (a String). */
    public static final String REPORT_KEY = "affnet.reportKey";
    /** Boolean: whether the traffic learner folds this click in ({@link #learns(ClickRecordedEvent)}). */
    public static final String LEARNS = "affnet.learns";

    private ClickMetaData() {
    }

    /** The metadata a click is recorded with. */
    public static MetaData of(ClickRecordedEvent click) {
        Map<String, Object> entries = new HashMap<>(4);
        entries.put(TENANT, click.tenantId() == null ? null : click.tenantId().value());
        entries.put(REPORT_KEY, reportKey(click.tenantId(), click.offerId(), click.affiliateId()));
        entries.put(LEARNS, learns(click));
        return MetaData.from(entries);
    }

    /** A smart-link click that was sent to an offer: the only clicks the traffic learner counts. */
    public static boolean learns(ClickRecordedEvent click) {
        return click.decision() != null && click.outcome() == ClickOutcome.OFFER && click.offerId() != null;
    }

    /**
     * True only when the metadata says the learner has nothing to do with the click; false when it says
     * otherwise or says nothing (clicks recorded before the mark): those go to the learner, which decides.
     */
    public static boolean markedNotLearning(Map<String, ?> metaData) {
        return Boolean.FALSE.equals(metaData.get(LEARNS));
    }

    /**
     * The report views' segment key of a tenant, offer and affiliate: a string, so every node picks the
     * same segment (String.hashCode is specified); parts are length-prefixed so no two keys collide, and
     * a missing offer or affiliate is a value like any other.
     */
    public static String reportKey(TenantId tenant, String offerId, String affiliateId) {
        return part(tenant == null ? null : tenant.value()) + "|" + part(offerId) + "|" + part(affiliateId);
    }

    private static String part(String value) {
        return value == null ? "-" : value.length() + ":" + value;
    }
}
