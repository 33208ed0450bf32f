package io.affnet.projections.report;

import java.util.List;

/**
 * The Elasticsearch layout of the report views. Clicks ({@code affnet-clicks}) and conversions
 * ({@code affnet-conversions}) share one mapping, so a single aggregation over both aliases groups
 * clicks and conversions by the same fields. {@code kind} tells them apart: {@code click},
 * {@code conversion} (a credited conversion, id = conversion id) or {@code rejection} (a refused report,
 * id = its event id). {@code time} is when the click happened or the conversion was reported.
 * Money is in minor units; {@code *ConvertedMinor} is the amount in the tenant's currency. A click's
 * {@code unique} is its click-time flag (first click of the visitor on the offer within the window; an
 * unknown flag is stored as true). {@code region}, {@code city} and {@code asn} come from the IP databases;
 * {@code datacenter} is true on a click from a hosting network whose offer flags (or refuses) such clicks.
 * <p>
 * Click rollups ({@code affnet-click-rollups}) count the clicks of one tenant, UTC hour ({@code time}, the
 * hour's start), offer, advertiser and affiliate: {@code clicks}, {@code uniqueClicks}. {@code pos} and
 * {@code gaps} are the global event indices the document has counted (every index up to {@code pos}
 * except the gaps, see {@link SeenPositions}); the document's external version is their number.
 */
public final class ReportDocuments {

    public static final String CLICKS = "clicks";
    public static final String CONVERSIONS = "conversions";
    /** 2: clicks carry {@code unique}. */
    public static final int VERSION = 2;
    public static final String ROLLUPS = "click-rollups";
    public static final int ROLLUP_VERSION = 1;

    public static final String KIND_CLICK = "click";
    public static final String KIND_CONVERSION = "conversion";
    public static final String KIND_REJECTION = "rejection";

    public static final List<String> SUBS = List.of("sub1", "sub2", "sub3", "sub4", "sub5", "sub6", "sub7", "sub8",
            "sub9", "sub10", "source");

    public static final String MAPPING = """
            {"dynamic": "strict",
             "properties": {
               "kind": {"type": "keyword"},
               "tenantId": {"type": "keyword"},
               "clickId": {"type": "keyword"},
               "conversionId": {"type": "keyword"},
               "time": {"type": "date", "format": "epoch_millis"},
               "clickedAt": {"type": "date", "format": "epoch_millis"},
               "linkId": {"type": "keyword"},
               "offerId": {"type": "keyword"},
               "advertiserId": {"type": "keyword"},
               "affiliateId": {"type": "keyword"},
               "sub1": {"type": "keyword"}, "sub2": {"type": "keyword"}, "sub3": {"type": "keyword"},
               "sub4": {"type": "keyword"}, "sub5": {"type": "keyword"}, "sub6": {"type": "keyword"},
               "sub7": {"type": "keyword"}, "sub8": {"type": "keyword"}, "sub9": {"type": "keyword"},
               "sub10": {"type": "keyword"}, "source": {"type": "keyword"},
               "country": {"type": "keyword"},
               "region": {"type": "keyword"},
               "city": {"type": "keyword"},
               "asn": {"type": "long"},
               "datacenter": {"type": "boolean"},
               "deviceClass": {"type": "keyword"},
               "outcome": {"type": "keyword"},
               "fallbackReason": {"type": "keyword"},
               "ipHash": {"type": "keyword"},
               "unique": {"type": "boolean"},
               "goal": {"type": "keyword"},
               "transactionId": {"type": "keyword"},
               "status": {"type": "keyword"},
               "statusHistory": {"type": "object", "enabled": false},
               "channel": {"type": "keyword"},
               "flagged": {"type": "keyword"},
               "rejectionReason": {"type": "keyword"},
               "currency": {"type": "keyword"},
               "revenueMinor": {"type": "long"},
               "payoutMinor": {"type": "long"},
               "saleMinor": {"type": "long"},
               "saleCurrency": {"type": "keyword"},
               "originalSaleMinor": {"type": "long"},
               "originalSaleCurrency": {"type": "keyword"},
               "saleFxRate": {"type": "keyword"},
               "saleFxSource": {"type": "keyword"},
               "convertedCurrency": {"type": "keyword"},
               "revenueConvertedMinor": {"type": "long"},
               "payoutConvertedMinor": {"type": "long"},
               "fxRate": {"type": "keyword"},
               "fxSource": {"type": "keyword"}
             }}""";

    public static final String ROLLUP_MAPPING = """
            {"dynamic": "strict",
             "properties": {
               "tenantId": {"type": "keyword"},
               "time": {"type": "date", "format": "epoch_millis"},
               "offerId": {"type": "keyword"},
               "advertiserId": {"type": "keyword"},
               "affiliateId": {"type": "keyword"},
               "clicks": {"type": "long"},
               "uniqueClicks": {"type": "long"},
               "pos": {"type": "long", "index": false},
               "gaps": {"type": "long", "index": false, "doc_values": false}
             }}""";

    private ReportDocuments() {
    }
}
