package io.affnet.query.report;

import co.elastic.clients.elasticsearch._types.aggregations.CalendarInterval;
import io.affnet.api.report.ReportSchema;

import java.util.Arrays;
import java.util.Optional;

/** What a report can be grouped and filtered by: time buckets in the tenant's zone, or a document field. */
public enum Dimension {
    HOUR("hour", ReportSchema.TIME, CalendarInterval.Hour),
    DAY("day", ReportSchema.TIME, CalendarInterval.Day),
    WEEK("week", ReportSchema.TIME, CalendarInterval.Week),
    MONTH("month", ReportSchema.TIME, CalendarInterval.Month),
    OFFER("offer", ReportSchema.OFFER_ID, null),
    ADVERTISER("advertiser", ReportSchema.ADVERTISER_ID, null),
    AFFILIATE("affiliate", ReportSchema.AFFILIATE_ID, null),
    LINK("link", ReportSchema.LINK_ID, null),
    GOAL("goal", ReportSchema.GOAL, null),
    COUNTRY("country", ReportSchema.COUNTRY, null),
    DEVICE_CLASS("device_class", ReportSchema.DEVICE_CLASS, null),
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
