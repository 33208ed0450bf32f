package io.affnet.api.report;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The Elasticsearch layout of the report views, shared by the projection that writes them and the
 * report queries that read them: view names, field names and field types. The index mappings are made
 * from {@link #DOCUMENT_FIELDS} and {@link #ROLLUP_FIELDS}, so a field the writer may fill and a field the
 * reader may ask for are the same constant.
 * <p>
 * Clicks ({@value #CLICKS}) and conversions ({@value #CONVERSIONS}) share one mapping, so a single
 * aggregation over both groups clicks and conversions by the same fields. {@link #KIND} tells them apart:
 * {@value #KIND_CLICK}, {@value #KIND_CONVERSION} (a credited conversion, id = conversion id) or
 * {@value #KIND_REJECTION} (a refused report, id = its event id). {@link #TIME} is when the click happened
 * or the conversion was reported. Money is in minor units; {@code *ConvertedMinor} is the amount in the
 * tenant's currency. A click's {@link #UNIQUE} is its click-time flag (first click of the visitor on the
 * offer within the window; an unknown flag is stored as true). {@link #REGION}, {@link #CITY} and
 * {@link #ASN} come from the IP databases; {@link #DATACENTER} is true on a click from a hosting network
 * whose offer flags (or refuses) such clicks. {@link #STATUS_HISTORY} holds entries of {@link #HISTORY_FROM},
 * {@link #HISTORY_TO} and {@link #HISTORY_AT} (not indexed).
 * <p>
 * Click rollups ({@value #ROLLUPS}) count the clicks of one tenant, UTC hour ({@link #TIME}, the hour's
 * start), offer, advertiser and affiliate: {@link #ROLLUP_CLICKS}, {@link #ROLLUP_UNIQUE_CLICKS}. They use
 * the same names as the click documents for the fields both have, so one filter serves both.
 * {@link #ROLLUP_POS} and {@link #ROLLUP_GAPS} are the global event indices the document has counted;
 * the document's external version is their number. The rollup index's {@code _meta}
 * {@value #META_COMPLETE} is {@value #COMPLETE} when it counts every click.
 */
public final class ReportSchema {

    public static final String CLICKS = "clicks";
    public static final String CONVERSIONS = "conversions";
    /** 2: clicks carry {@link #UNIQUE}. */
    public static final int VERSION = 2;
    public static final String ROLLUPS = "click-rollups";
    public static final int ROLLUP_VERSION = 1;
    public static final String META_COMPLETE = "complete";
    public static final String COMPLETE = "true";

    public static final String KIND_CLICK = "click";
    public static final String KIND_CONVERSION = "conversion";
    public static final String KIND_REJECTION = "rejection";

    public static final String KIND = "kind";
    public static final String TENANT_ID = "tenantId";
    public static final String CLICK_ID = "clickId";
    public static final String CONVERSION_ID = "conversionId";
    public static final String TIME = "time";
    public static final String CLICKED_AT = "clickedAt";
    public static final String LINK_ID = "linkId";
    public static final String OFFER_ID = "offerId";
    public static final String ADVERTISER_ID = "advertiserId";
    public static final String AFFILIATE_ID = "affiliateId";
    /** The click's sub-IDs and source, by the names the click event's {@code subs} use. */
    public static final List<String> SUBS = List.of("sub1", "sub2", "sub3", "sub4", "sub5", "sub6", "sub7", "sub8",
            "sub9", "sub10", "source");
    public static final String COUNTRY = "country";
    public static final String REGION = "region";
    public static final String CITY = "city";
    public static final String ASN = "asn";
    public static final String DATACENTER = "datacenter";
    public static final String DEVICE_CLASS = "deviceClass";
    public static final String OUTCOME = "outcome";
    public static final String FALLBACK_REASON = "fallbackReason";
    public static final String IP_HASH = "ipHash";
    public static final String UNIQUE = "unique";
    public static final String GOAL = "goal";
    public static final String TRANSACTION_ID = "transactionId";
    public static final String STATUS = "status";
    public static final String STATUS_HISTORY = "statusHistory";
    public static final String CHANNEL = "channel";
    public static final String FLAGGED = "flagged";
    public static final String REJECTION_REASON = "rejectionReason";
    public static final String CURRENCY = "currency";
    public static final String REVENUE_MINOR = "revenueMinor";
    public static final String PAYOUT_MINOR = "payoutMinor";
    public static final String SALE_MINOR = "saleMinor";
    public static final String SALE_CURRENCY = "saleCurrency";
    public static final String ORIGINAL_SALE_MINOR = "originalSaleMinor";
    public static final String ORIGINAL_SALE_CURRENCY = "originalSaleCurrency";
    public static final String SALE_FX_RATE = "saleFxRate";
    public static final String SALE_FX_SOURCE = "saleFxSource";
    public static final String CONVERTED_CURRENCY = "convertedCurrency";
    public static final String REVENUE_CONVERTED_MINOR = "revenueConvertedMinor";
    public static final String PAYOUT_CONVERTED_MINOR = "payoutConvertedMinor";
    public static final String FX_RATE = "fxRate";
    public static final String FX_SOURCE = "fxSource";

    public static final String HISTORY_FROM = "from";
    public static final String HISTORY_TO = "to";
    public static final String HISTORY_AT = "at";

    public static final String ROLLUP_CLICKS = "clicks";
    public static final String ROLLUP_UNIQUE_CLICKS = "uniqueClicks";
    public static final String ROLLUP_POS = "pos";
    public static final String ROLLUP_GAPS = "gaps";

    /** The Elasticsearch types the report views use, each as its mapping. */
    public enum Type {
        KEYWORD("{\"type\": \"keyword\"}"),
        LONG("{\"type\": \"long\"}"),
        BOOLEAN("{\"type\": \"boolean\"}"),
        /** Milliseconds since the epoch. */
        EPOCH_MILLIS("{\"type\": \"date\", \"format\": \"epoch_millis\"}"),
        /** Kept in the source only: neither searchable nor aggregatable. */
        STORED_OBJECT("{\"type\": \"object\", \"enabled\": false}"),
        /** Read back by id, never searched. */
        STORED_LONG("{\"type\": \"long\", \"index\": false}"),
        /** Read back by id, never searched nor aggregated. */
        STORED_LONGS("{\"type\": \"long\", \"index\": false, \"doc_values\": false}");

        private final String mapping;

        Type(String mapping) {
            this.mapping = mapping;
        }

        public String mapping() {
            return mapping;
        }
    }

    public record Field(String name, Type type) {
    }

    /** The fields of click and conversion documents ({@value #CLICKS}, {@value #CONVERSIONS}). */
    public static final List<Field> DOCUMENT_FIELDS = documentFields();

    /** The fields of click rollup documents ({@value #ROLLUPS}). */
    public static final List<Field> ROLLUP_FIELDS = List.of(
            new Field(TENANT_ID, Type.KEYWORD),
            new Field(TIME, Type.EPOCH_MILLIS),
            new Field(OFFER_ID, Type.KEYWORD),
            new Field(ADVERTISER_ID, Type.KEYWORD),
            new Field(AFFILIATE_ID, Type.KEYWORD),
            new Field(ROLLUP_CLICKS, Type.LONG),
            new Field(ROLLUP_UNIQUE_CLICKS, Type.LONG),
            new Field(ROLLUP_POS, Type.STORED_LONG),
            new Field(ROLLUP_GAPS, Type.STORED_LONGS));

    /** The mapping of {@value #CLICKS} and {@value #CONVERSIONS}: strict, so no other field is accepted. */
    public static final String MAPPING = mapping(DOCUMENT_FIELDS);

    /** The mapping of {@value #ROLLUPS}: strict, so no other field is accepted. */
    public static final String ROLLUP_MAPPING = mapping(ROLLUP_FIELDS);

    private ReportSchema() {
    }

    private static List<Field> documentFields() {
        List<Field> fields = new java.util.ArrayList<>(List.of(
                new Field(KIND, Type.KEYWORD),
                new Field(TENANT_ID, Type.KEYWORD),
                new Field(CLICK_ID, Type.KEYWORD),
                new Field(CONVERSION_ID, Type.KEYWORD),
                new Field(TIME, Type.EPOCH_MILLIS),
                new Field(CLICKED_AT, Type.EPOCH_MILLIS),
                new Field(LINK_ID, Type.KEYWORD),
                new Field(OFFER_ID, Type.KEYWORD),
                new Field(ADVERTISER_ID, Type.KEYWORD),
                new Field(AFFILIATE_ID, Type.KEYWORD)));
        SUBS.forEach(sub -> fields.add(new Field(sub, Type.KEYWORD)));
        fields.addAll(List.of(
                new Field(COUNTRY, Type.KEYWORD),
                new Field(REGION, Type.KEYWORD),
                new Field(CITY, Type.KEYWORD),
                new Field(ASN, Type.LONG),
                new Field(DATACENTER, Type.BOOLEAN),
                new Field(DEVICE_CLASS, Type.KEYWORD),
                new Field(OUTCOME, Type.KEYWORD),
                new Field(FALLBACK_REASON, Type.KEYWORD),
                new Field(IP_HASH, Type.KEYWORD),
                new Field(UNIQUE, Type.BOOLEAN),
                new Field(GOAL, Type.KEYWORD),
                new Field(TRANSACTION_ID, Type.KEYWORD),
                new Field(STATUS, Type.KEYWORD),
                new Field(STATUS_HISTORY, Type.STORED_OBJECT),
                new Field(CHANNEL, Type.KEYWORD),
                new Field(FLAGGED, Type.KEYWORD),
                new Field(REJECTION_REASON, Type.KEYWORD),
                new Field(CURRENCY, Type.KEYWORD),
                new Field(REVENUE_MINOR, Type.LONG),
                new Field(PAYOUT_MINOR, Type.LONG),
                new Field(SALE_MINOR, Type.LONG),
                new Field(SALE_CURRENCY, Type.KEYWORD),
                new Field(ORIGINAL_SALE_MINOR, Type.LONG),
                new Field(ORIGINAL_SALE_CURRENCY, Type.KEYWORD),
                new Field(SALE_FX_RATE, Type.KEYWORD),
                new Field(SALE_FX_SOURCE, Type.KEYWORD),
                new Field(CONVERTED_CURRENCY, Type.KEYWORD),
                new Field(REVENUE_CONVERTED_MINOR, Type.LONG),
                new Field(PAYOUT_CONVERTED_MINOR, Type.LONG),
                new Field(FX_RATE, Type.KEYWORD),
                new Field(FX_SOURCE, Type.KEYWORD)));
        return List.copyOf(fields);
    }

    private static String mapping(List<Field> fields) {
        return fields.stream().map(f -> "\"" + f.name() + "\": " + f.type().mapping())
                .collect(Collectors.joining(",\n  ", "{\"dynamic\": \"strict\",\n \"properties\": {\n  ", "\n }}"));
    }
}
