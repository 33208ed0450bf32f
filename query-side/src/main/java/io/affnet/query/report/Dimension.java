package io.affnet.query.report;

import co.elastic.clients.elasticsearch._types.aggregations.CalendarInterval;

import java.util.Arrays;
import java.util.Optional;

/** What a report can be grouped and filtered by: time buckets in the tenant's zone, or a document field. */
public enum Dimension {
    HOUR("hour", "time", CalendarInterval.Hour),
    DAY("day", "time", CalendarInterval.Day),
    WEEK("week", "time", CalendarInterval.Week),
    MONTH("month", "time", CalendarInterval.Month),
    OFFER("offer", "offerId", null),
    ADVERTISER("advertiser", "advertiserId", null),
    AFFILIATE("affiliate", "affiliateId", null),
    LINK("link", "linkId", null),
    GOAL("goal", "goal", null),
    COUNTRY("country", "country", null),
    DEVICE_CLASS("device_class", "deviceClass", null),
    SUB1("sub1", "sub1", null), SUB2("sub2", "sub2", null), SUB3("sub3", "sub3", null), SUB4("sub4", "sub4", null),
    SUB5("sub5", "sub5", null), SUB6("sub6", "sub6", null), SUB7("sub7", "sub7", null), SUB8("sub8", "sub8", null),
    SUB9("sub9", "sub9", null), SUB10("sub10", "sub10", null),
    SOURCE("source", "source", null);

    private final String apiName;
    private final String field;
    private final CalendarInterval interval;

    Dimension(String apiName, String field, CalendarInterval interval) {
        this.apiName = apiName;
        this.field = field;
        this.interval = interval;
    }

    public String apiName() {
        return apiName;
    }

    public String field() {
        return field;
    }

    public CalendarInterval interval() {
        return interval;
    }

    public boolean isTime() {
        return interval != null;
    }

    public static Optional<Dimension> byName(String name) {
        return Arrays.stream(values()).filter(d -> d.apiName.equals(name)).findFirst();
    }
}
