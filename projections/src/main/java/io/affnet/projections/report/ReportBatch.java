package io.affnet.projections.report;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.api.conversion.ConversionAdjustedEvent;
import io.affnet.api.conversion.ConversionRecordedEvent;
import io.affnet.api.conversion.ConversionRejectedEvent;
import io.affnet.api.conversion.ConversionStatusChangedEvent;
import io.affnet.api.report.ReportSchema;

import org.apache.http.entity.ByteArrayEntity;
import org.axonframework.eventhandling.TrackingToken;
import org.apache.http.entity.ContentType;
import co.elastic.clients.transport.rest_client.RestClientOptions;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documents one batch of events produces, written with one bulk request when the batch commits.
 * Conversions copy their click's dimensions (subs, country, device, link); a click of the same batch is
 * taken from the batch, an earlier one is read (one realtime multi-get per batch) from the index the
 * batch writes to. A click's conversion events carry its offer and affiliate, and the processor hands
 * every event of one tenant, offer and affiliate to one segment in order: during a rebuild a click is
 * always in the new index before its conversions are, and the copy is the same as in the live index.
 * The batch also brings the click rollups it touches up to date (see {@link #rollups}). So a batch makes
 * two Elasticsearch round trips at most: one multi-get of everything it reads (earlier clicks,
 * conversions, rollups; {@link #fetch}) and the bulk write.
 */
final class ReportBatch {

    private interface Op {
    }

    private record ClickOp(ClickRecordedEvent event, long[] positions) implements Op {
    }

    private record ConversionOp(ConversionRecordedEvent event) implements Op {
    }

    private record RejectionOp(ConversionRejectedEvent event, String eventId) implements Op {
    }

    private record StatusOp(ConversionStatusChangedEvent event) implements Op {
    }

    private record AdjustOp(ConversionAdjustedEvent event) implements Op {
    }

    private record Key(String tenantId, String id) {
    }

    /** One click rollup document: a tenant's clicks in one UTC hour for one offer, advertiser and affiliate. */
    record RollupKey(String tenantId, long hour, String offerId, String advertiserId, String affiliateId) {

        /** Unambiguous for any ids: each part is length-prefixed, a missing one is "-". */
        String id() {
            return part(tenantId) + "|" + hour + "|" + part(offerId) + "|" + part(advertiserId) + "|" + part(affiliateId);
        }

        private static String part(String value) {
            return value == null ? "-" : value.length() + ":" + value;
        }
    }

    /** A rollup document to write and the version it is written with. */
    private record RollupWrite(Map<String, Object> doc, long version) {
    }

    /** The clicks of one batch for one rollup document: their global indices and whether each is unique. */
    private static final class RollupClicks {
        final List<long[]> positions = new ArrayList<>();
        final List<Boolean> unique = new ArrayList<>();
    }

    private static final List<String> CLICK_DIMENSIONS = new ArrayList<>(List.of(ReportSchema.LINK_ID, ReportSchema.COUNTRY, ReportSchema.DEVICE_CLASS));

    static {
        CLICK_DIMENSIONS.addAll(ReportSchema.SUBS);
    }

    private static final ObjectMapper JSON = new ObjectMapper().configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson");
    private static final long HOUR = 3_600_000L;

    private final ElasticsearchClient client;
    private final RestClient rest;
    private final TenantCurrencies currencies;
    private final ReportViews.Targets targets;
    /** Options of its Elasticsearch requests (the bulk phase waits longer for them), null for the client's. */
    private final RequestOptions options;
    private final List<Op> ops = new ArrayList<>();
    private TrackingToken lastClickToken;

    ReportBatch(ElasticsearchClient client, RestClient rest, TenantCurrencies currencies, ReportViews.Targets targets) {
        this(client, rest, currencies, targets, null);
    }

    ReportBatch(ElasticsearchClient client, RestClient rest, TenantCurrencies currencies, ReportViews.Targets targets,
                RequestOptions options) {
        this.client = options == null ? client : client.withTransportOptions(new RestClientOptions(options, false));
        this.rest = rest;
        this.currencies = currencies;
        this.targets = targets;
        this.options = options;
    }

    /** {@code positions}: the click's global index ({@link EventPositions#of}); {@code token}: the one it came with. */
    void click(ClickRecordedEvent e, long[] positions, TrackingToken token) {
        ops.add(new ClickOp(e, positions));
        lastClickToken = token;
    }

    void conversion(ConversionRecordedEvent e) {
        ops.add(new ConversionOp(e));
    }

    void rejection(ConversionRejectedEvent e, String eventId) {
        ops.add(new RejectionOp(e, eventId));
    }

    void statusChange(ConversionStatusChangedEvent e) {
        ops.add(new StatusOp(e));
    }

    void adjustment(ConversionAdjustedEvent e) {
        ops.add(new AdjustOp(e));
    }

    /**
     * The payload types the report views build from: what {@link ReportProjection}'s handlers take, and what
     * the rebuild's bulk phase reads ({@link ReportBulkLoad}).
     */
    static final List<Class<?>> EVENT_TYPES = List.of(ClickRecordedEvent.class, ConversionRecordedEvent.class,
            ConversionRejectedEvent.class, ConversionStatusChangedEvent.class, ConversionAdjustedEvent.class);

    /**
     * One event of {@link #EVENT_TYPES} read outside the processor (the rebuild's bulk phase), handed to
     * the method its {@link ReportProjection} handler calls; {@code globalIndex} is its own index.
     */
    void add(Object payload, String eventId, long globalIndex) {
        if (payload instanceof ClickRecordedEvent e) {
            ops.add(new ClickOp(e, new long[]{globalIndex}));
        } else if (payload instanceof ConversionRecordedEvent e) {
            conversion(e);
        } else if (payload instanceof ConversionRejectedEvent e) {
            rejection(e, eventId);
        } else if (payload instanceof ConversionStatusChangedEvent e) {
            statusChange(e);
        } else if (payload instanceof ConversionAdjustedEvent e) {
            adjustment(e);
        } else {
            throw new IllegalArgumentException("not an event of the report views: " + payload.getClass().getName());
        }
    }

    int size() {
        return ops.size();
    }

    /** Writes the batch; the rollups count what the stream had delivered up to the batch's last click (its token). */
    void flush() {
        flush(SeenPositions.of(lastClickToken));
    }

    /**
     * Writes the batch; {@code delivered}: every global index read up to the batch's last click (the
     * rollups it touches count those, see {@link #rollups}).
     */
    void flush(SeenPositions delivered) {
        if (ops.isEmpty()) {
            return;
        }
        Map<Key, Map<String, Object>> clicks = new LinkedHashMap<>();
        Map<Key, Map<String, Object>> conversions = new LinkedHashMap<>();
        Map<Key, Map<String, Object>> knownClicks = new HashMap<>();
        Map<Key, Map<String, Object>> knownConversions = new HashMap<>();
        List<Key> missingClicks = new ArrayList<>();
        List<Key> missingConversions = new ArrayList<>();
        for (Op op : ops) {
            if (op instanceof ClickOp c) {
                knownClicks.put(new Key(c.event().tenantId().value(), c.event().clickId()), null);
            } else if (op instanceof ConversionOp c) {
                need(knownClicks, missingClicks, new Key(c.event().tenantId().value(), c.event().clickId()));
            } else if (op instanceof RejectionOp r && r.event().clickId() != null) {
                need(knownClicks, missingClicks, new Key(r.event().tenantId().value(), r.event().clickId()));
            } else if (op instanceof StatusOp s) {
                need(knownConversions, missingConversions, new Key(s.event().tenantId().value(), s.event().conversionId()));
            } else if (op instanceof AdjustOp a) {
                need(knownConversions, missingConversions, new Key(a.event().tenantId().value(), a.event().conversionId()));
            }
        }
        Map<RollupKey, RollupClicks> touched = touchedRollups();
        Stored stored = fetch(missingClicks, missingConversions, touched.keySet());
        Map<Key, Map<String, Object>> storedClicks = stored.clicks();
        Map<Key, Map<String, Object>> storedConversions = stored.conversions();
        for (Op op : ops) {
            if (op instanceof ClickOp c) {
                clicks.put(new Key(c.event().tenantId().value(), c.event().clickId()), clickDocument(c.event()));
            } else if (op instanceof ConversionOp c) {
                Key click = new Key(c.event().tenantId().value(), c.event().clickId());
                conversions.put(new Key(c.event().tenantId().value(), c.event().conversionId()),
                        conversionDocument(c.event(), clickOf(click, clicks, storedClicks)));
            } else if (op instanceof RejectionOp r) {
                Map<String, Object> click = r.event().clickId() == null ? null
                        : clickOf(new Key(r.event().tenantId().value(), r.event().clickId()), clicks, storedClicks);
                conversions.put(new Key(r.event().tenantId().value(), r.eventId()), rejectionDocument(r.event(), r.eventId(), click));
            } else if (op instanceof StatusOp s) {
                Key key = new Key(s.event().tenantId().value(), s.event().conversionId());
                Map<String, Object> doc = conversions.get(key);
                if (doc == null) {
                    doc = storedConversions.get(key);
                }
                if (doc != null && applyStatus(doc, s.event())) {
                    conversions.put(key, doc);
                }
            } else if (op instanceof AdjustOp a) {
                Key key = new Key(a.event().tenantId().value(), a.event().conversionId());
                Map<String, Object> doc = conversions.get(key);
                if (doc == null) {
                    doc = storedConversions.get(key);
                }
                // An adjustment applies to the status it was made in, so a redelivery after a later change does nothing.
                if (doc != null && a.event().status().name().equals(doc.get(ReportSchema.STATUS))) {
                    money(doc, a.event().revenue().minor(), a.event().payout().minor(), a.event().payout().currency());
                    conversions.put(key, doc);
                }
            }
        }
        Map<RollupKey, RollupWrite> rollups = rollups(touched, stored.rollups(), delivered);
        bulk(clicks, conversions, rollups);
        ops.clear();
        lastClickToken = null;
    }

    /** The batch's clicks grouped by the rollup document they count in, in batch order. */
    private Map<RollupKey, RollupClicks> touchedRollups() {
        Map<RollupKey, RollupClicks> touched = new LinkedHashMap<>();
        for (Op op : ops) {
            if (op instanceof ClickOp c) {
                ClickRecordedEvent e = c.event();
                RollupKey key = new RollupKey(e.tenantId().value(), Math.floorDiv(e.clickedAt().toEpochMilli(), HOUR) * HOUR, e.offerId(),
                        e.terms() == null ? null : e.terms().advertiserId(), e.affiliateId());
                RollupClicks clicks = touched.computeIfAbsent(key, k -> new RollupClicks());
                clicks.positions.add(c.positions());
                clicks.unique.add(e.countsAsUnique());
            }
        }
        return touched;
    }

    /**
     * The rollup documents this batch changes, with their new versions. The batch's clicks are grouped by
     * document ({@code touched}); the documents are read ({@code stored}, in the batch's one realtime
     * multi-get, see {@link #fetch}) and a click is added only if the document
     * has not counted its global index yet, so a batch that is delivered again, whatever its boundaries,
     * adds nothing twice. The processor hands all clicks of one tenant, offer and affiliate to one segment
     * in order ({@code ReportConfiguration}), so each document has one writer; the new set of counted
     * indices is the old one plus everything the stream had delivered up to this batch's last click, and
     * its size versions the document (external versioning): a writer that read an older state, such as a
     * node that lost its segment, is refused, and its batch is retried from what is stored.
     */
    private Map<RollupKey, RollupWrite> rollups(Map<RollupKey, RollupClicks> touched, Map<String, Map<String, Object>> stored,
                                               SeenPositions delivered) {
        Map<RollupKey, RollupWrite> out = new LinkedHashMap<>();
        if (touched.isEmpty()) {
            return out;
        }
        for (Map.Entry<RollupKey, RollupClicks> t : touched.entrySet()) {
            Map<String, Object> doc = stored.get(t.getKey().id());
            SeenPositions counted = SeenPositions.NONE;
            long clicks = 0;
            long unique = 0;
            if (doc != null) {
                counted = SeenPositions.of(((Number) doc.get(ReportSchema.ROLLUP_POS)).longValue(), gapsOf(doc.get(ReportSchema.ROLLUP_GAPS)));
                clicks = ((Number) doc.get(ReportSchema.ROLLUP_CLICKS)).longValue();
                unique = ((Number) doc.get(ReportSchema.ROLLUP_UNIQUE_CLICKS)).longValue();
            }
            boolean added = false;
            RollupClicks batch = t.getValue();
            for (int i = 0; i < batch.positions.size(); i++) {
                if (!countedAll(counted, batch.positions.get(i))) {
                    clicks++;
                    unique += batch.unique.get(i) ? 1 : 0;
                    added = true;
                }
            }
            if (!added) {
                continue;
            }
            SeenPositions now = counted.union(delivered);
            RollupKey key = t.getKey();
            Map<String, Object> rollup = new LinkedHashMap<>();
            rollup.put(ReportSchema.TENANT_ID, key.tenantId());
            rollup.put(ReportSchema.TIME, key.hour());
            rollup.put(ReportSchema.OFFER_ID, key.offerId());
            rollup.put(ReportSchema.ADVERTISER_ID, key.advertiserId());
            rollup.put(ReportSchema.AFFILIATE_ID, key.affiliateId());
            rollup.put(ReportSchema.ROLLUP_CLICKS, clicks);
            rollup.put(ReportSchema.ROLLUP_UNIQUE_CLICKS, unique);
            rollup.put(ReportSchema.ROLLUP_POS, now.index());
            rollup.put(ReportSchema.ROLLUP_GAPS, now.gaps());
            rollup.values().removeIf(java.util.Objects::isNull);
            out.put(key, new RollupWrite(rollup, now.count()));
        }
        return out;
    }

    /** Counted already unless one of its candidate indices (see {@link EventPositions}) is not. */
    private static boolean countedAll(SeenPositions counted, long[] positions) {
        for (long p : positions) {
            if (!counted.contains(p)) {
                return false;
            }
        }
        return positions.length > 0;
    }

    private static List<Number> gapsOf(Object gaps) {
        if (gaps instanceof List<?> list) {
            return list.stream().map(g -> (Number) g).toList();
        }
        return gaps instanceof Number n ? List.of(n) : List.of();
    }

    private static void need(Map<Key, Map<String, Object>> known, List<Key> missing, Key key) {
        if (!known.containsKey(key)) {
            known.put(key, null);
            missing.add(key);
        }
    }

    private static Map<String, Object> clickOf(Key key, Map<Key, Map<String, Object>> batch, Map<Key, Map<String, Object>> stored) {
        Map<String, Object> doc = batch.get(key);
        return doc != null ? doc : stored.get(key);
    }

    /** What the batch's one multi-get found: earlier clicks and conversions by key, rollup documents by id. */
    private record Stored(Map<Key, Map<String, Object>> clicks, Map<Key, Map<String, Object>> conversions,
                          Map<String, Map<String, Object>> rollups) {
    }

    /**
     * Reads everything the batch builds on with one realtime multi-get over the three indices the batch
     * writes to (it was one round trip per index): the earlier clicks its conversions copy, the earlier
     * conversions its status changes and adjustments apply to, and the rollup documents its clicks count
     * in. The answer lists the documents in the order asked (its index names are the concrete indices, not
     * the aliases asked for), so each part is read by its place. A rollup that cannot be read fails the
     * batch (which is retried): counting on top of an unknown state could count a click twice; a click or
     * conversion that cannot be read lends nothing, as when it does not exist.
     */
    private Stored fetch(List<Key> clickKeys, List<Key> conversionKeys, java.util.Set<RollupKey> rollupKeys) {
        Stored found = new Stored(new HashMap<>(), new HashMap<>(), new HashMap<>());
        if (clickKeys.isEmpty() && conversionKeys.isEmpty() && rollupKeys.isEmpty()) {
            return found;
        }
        try {
            @SuppressWarnings({"unchecked", "rawtypes"})
            MgetResponse<Map<String, Object>> response = client.mget(m -> {
                m.realtime(true);
                for (Key k : clickKeys) {
                    m.docs(d -> d.index(targets.clicks()).id(k.id()).routing(k.tenantId()));
                }
                for (Key k : conversionKeys) {
                    m.docs(d -> d.index(targets.conversions()).id(k.id()).routing(k.tenantId()));
                }
                for (RollupKey k : rollupKeys) {
                    m.docs(d -> d.index(targets.rollups()).id(k.id()).routing(k.tenantId()));
                }
                return m;
            }, (Class<Map<String, Object>>) (Class) Map.class);
            List<MultiGetResponseItem<Map<String, Object>>> items = response.docs();
            int conversionsFrom = clickKeys.size();
            int rollupsFrom = conversionsFrom + conversionKeys.size();
            for (int i = 0; i < items.size(); i++) {
                MultiGetResponseItem<Map<String, Object>> item = items.get(i);
                if (i >= rollupsFrom) {
                    if (item.isFailure()) {
                        throw new IllegalStateException("Elasticsearch could not read rollup " + item.failure().id()
                                + " (the batch is retried): " + item.failure().error().reason());
                    }
                    if (item.result().found() && item.result().source() != null) {
                        found.rollups().put(item.result().id(), item.result().source());
                    }
                } else if (item.isResult() && item.result().found() && item.result().source() != null) {
                    Map<String, Object> source = item.result().source();
                    Object tenant = source.get(ReportSchema.TENANT_ID);
                    // Another tenant's id (a forged click id) never lends its dimensions.
                    if (tenant != null) {
                        (i < conversionsFrom ? found.clicks() : found.conversions())
                                .put(new Key(tenant.toString(), item.result().id()), new LinkedHashMap<>(source));
                    }
                }
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch unreachable while reading " + targets, e);
        }
    }

    /**
     * One bulk request, written and read with plain Jackson over the low-level client: the documents go
     * out as they are serialized once, and {@code filter_path} keeps the answer to the errors (the typed
     * client walked every document through its JSON-P adapter and parsed a result per document,
     * together a sixth of the CPU of a rebuild).
     */
    private void bulk(Map<Key, Map<String, Object>> clicks, Map<Key, Map<String, Object>> conversions,
                      Map<RollupKey, RollupWrite> rollups) {
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream(512 * (clicks.size() + conversions.size() + rollups.size()));
            for (Map.Entry<Key, Map<String, Object>> e : clicks.entrySet()) {
                write(body, targets.clicks(), e.getKey().tenantId(), e.getKey().id(), -1, e.getValue());
            }
            for (Map.Entry<Key, Map<String, Object>> e : conversions.entrySet()) {
                write(body, targets.conversions(), e.getKey().tenantId(), e.getKey().id(), -1, e.getValue());
            }
            for (Map.Entry<RollupKey, RollupWrite> e : rollups.entrySet()) {
                write(body, targets.rollups(), e.getKey().tenantId(), e.getKey().id(), e.getValue().version(), e.getValue().doc());
            }
            Request request = new Request("POST", "/_bulk");
            // Only the failures come back ({"errors":false} when there are none); a reason names the document.
            request.addParameter("filter_path", "errors,items.*.error.reason,items.*.error.type,items.*.status,items.*._id,items.*._index");
            request.setEntity(new ByteArrayEntity(body.toByteArray(), NDJSON));
            if (options != null) {
                request.setOptions(options);
            }
            JsonNode answer;
            try (InputStream in = rest.performRequest(request).getEntity().getContent()) {
                answer = JSON.readTree(in);
            }
            if (answer.path("errors").asBoolean()) {
                refusals(answer);
            }
        } catch (ResponseException e) {
            throw new IllegalStateException("Elasticsearch refused the report bulk request (the batch is retried): "
                    + e.getResponse().getStatusLine(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Elasticsearch unreachable while writing report documents", e);
        }
    }

    /**
     * A bulk answer with failed items. Any failure that may pass on a retry (a version conflict, which means
     * another writer got in between and the rollup must be read again; too many requests; a timeout; a
     * server-side failure) fails the batch, which the processor retries. The rest are documents
     * Elasticsearch can never take (a mapping conflict, a field too long): they are skipped, each with a
     * WARN naming the index, the document id and the reason, and counted ({@link #refusedDocuments()}),
     * so one such document cannot stop the report processor for good.
     */
    static void refusals(JsonNode answer) {
        String retry = null;
        List<JsonNode> refused = new ArrayList<>();
        for (JsonNode wrapper : answer.path("items")) {
            JsonNode item = wrapper.elements().hasNext() ? wrapper.elements().next() : wrapper;
            if (!item.has("error")) {
                continue;
            }
            int status = item.path("status").asInt(500);
            if (status == 409 || status == 408 || status == 429 || status >= 500) {
                retry = status + " " + item.path("error").path("reason").asText("?");
            } else {
                refused.add(item);
            }
        }
        if (retry != null) {
            throw new IllegalStateException("Elasticsearch refused report documents for now (the batch is retried): " + retry);
        }
        for (JsonNode item : refused) {
            REFUSED.incrementAndGet();
            LOG.warn("Report views skipped document {} of {}: Elasticsearch can never take it ({} {}: {})",
                    item.path("_id").asText("?"), item.path("_index").asText("?"), item.path("status").asInt(),
                    item.path("error").path("type").asText("?"), item.path("error").path("reason").asText("?"));
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReportBatch.class);
    private static final java.util.concurrent.atomic.AtomicLong REFUSED = new java.util.concurrent.atomic.AtomicLong();

    /** Documents Elasticsearch refused for good and the report views skipped since start-up. */
    static long refusedDocuments() {
        return REFUSED.get();
    }

    /** One index operation; {@code version} ≥ 0 makes it conditional (external versioning: only over a lower version). */
    private static void write(ByteArrayOutputStream body, String index, String tenantId, String id, long version,
                              Map<String, Object> doc) throws IOException {
        try (JsonGenerator g = JSON.getFactory().createGenerator(body)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.writeStartObject();
            g.writeObjectFieldStart("index");
            g.writeStringField("_index", index);
            g.writeStringField("_id", id);
            g.writeStringField("routing", tenantId);
            if (version >= 0) {
                g.writeNumberField("version", version);
                g.writeStringField("version_type", "external");
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        body.write('\n');
        JSON.writeValue(body, doc);
        body.write('\n');
    }

    static Map<String, Object> clickDocument(ClickRecordedEvent e) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put(ReportSchema.KIND, ReportSchema.KIND_CLICK);
        doc.put(ReportSchema.TENANT_ID, e.tenantId().value());
        doc.put(ReportSchema.CLICK_ID, e.clickId());
        doc.put(ReportSchema.TIME, e.clickedAt().toEpochMilli());
        doc.put(ReportSchema.LINK_ID, e.linkId());
        doc.put(ReportSchema.OFFER_ID, e.offerId());
        doc.put(ReportSchema.ADVERTISER_ID, e.terms() == null ? null : e.terms().advertiserId());
        doc.put(ReportSchema.AFFILIATE_ID, e.affiliateId());
        if (e.subs() != null) {
            for (String sub : ReportSchema.SUBS) {
                String value = e.subs().get(sub);
                if (value != null && !value.isEmpty()) {
                    doc.put(sub, value);
                }
            }
        }
        doc.put(ReportSchema.COUNTRY, e.country());
        doc.put(ReportSchema.REGION, e.region());
        doc.put(ReportSchema.CITY, e.city());
        doc.put(ReportSchema.ASN, e.asn());
        doc.put(ReportSchema.DATACENTER, e.datacenter());
        doc.put(ReportSchema.DEVICE_CLASS, e.deviceClass());
        doc.put(ReportSchema.OUTCOME, e.outcome() == null ? null : e.outcome().name());
        doc.put(ReportSchema.FALLBACK_REASON, e.fallbackReason() == null ? null : e.fallbackReason().name());
        doc.put(ReportSchema.IP_HASH, e.ipHash());
        doc.put(ReportSchema.UNIQUE, e.countsAsUnique());
        doc.values().removeIf(java.util.Objects::isNull);
        return doc;
    }

    private Map<String, Object> conversionDocument(ConversionRecordedEvent e, Map<String, Object> click) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put(ReportSchema.KIND, ReportSchema.KIND_CONVERSION);
        doc.put(ReportSchema.TENANT_ID, e.tenantId().value());
        doc.put(ReportSchema.CONVERSION_ID, e.conversionId());
        doc.put(ReportSchema.CLICK_ID, e.clickId());
        doc.put(ReportSchema.TIME, e.convertedAt().toEpochMilli());
        doc.put(ReportSchema.CLICKED_AT, e.clickedAt() == null ? null : e.clickedAt().toEpochMilli());
        doc.put(ReportSchema.OFFER_ID, e.offerId());
        doc.put(ReportSchema.ADVERTISER_ID, e.advertiserId());
        doc.put(ReportSchema.AFFILIATE_ID, e.affiliateId());
        copyClick(doc, click);
        doc.put(ReportSchema.GOAL, e.goal());
        doc.put(ReportSchema.TRANSACTION_ID, e.transactionId());
        doc.put(ReportSchema.STATUS, e.status().name());
        List<Map<String, Object>> history = new ArrayList<>();
        history.add(historyEntry(null, e.status().name(), e.convertedAt().toEpochMilli()));
        doc.put(ReportSchema.STATUS_HISTORY, history);
        doc.put(ReportSchema.CHANNEL, e.channel());
        doc.put(ReportSchema.FLAGGED, e.flagged());
        if (e.sale() != null) {
            doc.put(ReportSchema.SALE_MINOR, e.sale().minor());
            doc.put(ReportSchema.SALE_CURRENCY, e.sale().currency());
        }
        if (e.originalSale() != null) {
            doc.put(ReportSchema.ORIGINAL_SALE_MINOR, e.originalSale().minor());
            doc.put(ReportSchema.ORIGINAL_SALE_CURRENCY, e.originalSale().currency());
        }
        if (e.rate() != null) {
            // The rate that turned the reported sale into the offer's currency, as the event keeps it.
            doc.put(ReportSchema.SALE_FX_RATE, e.rate().rate());
            doc.put(ReportSchema.SALE_FX_SOURCE, e.rate().source() + (e.rate().asOf() == null ? "" : "@" + e.rate().asOf()));
        }
        money(doc, e.revenue().minor(), e.payout().minor(), e.revenue().currency());
        doc.values().removeIf(java.util.Objects::isNull);
        return doc;
    }

    private void money(Map<String, Object> doc, long revenue, long payout, String currency) {
        doc.put(ReportSchema.CURRENCY, currency);
        doc.put(ReportSchema.REVENUE_MINOR, revenue);
        doc.put(ReportSchema.PAYOUT_MINOR, payout);
        TenantCurrencies.Converted converted = currencies.convert(doc.get(ReportSchema.TENANT_ID).toString(), currency, revenue, payout);
        if (converted != null) {
            doc.put(ReportSchema.CONVERTED_CURRENCY, converted.currency());
            doc.put(ReportSchema.REVENUE_CONVERTED_MINOR, converted.revenueMinor());
            doc.put(ReportSchema.PAYOUT_CONVERTED_MINOR, converted.payoutMinor());
            doc.put(ReportSchema.FX_RATE, converted.rate());
            doc.put(ReportSchema.FX_SOURCE, converted.source());
        }
    }

    private static Map<String, Object> rejectionDocument(ConversionRejectedEvent e, String eventId, Map<String, Object> click) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put(ReportSchema.KIND, ReportSchema.KIND_REJECTION);
        doc.put(ReportSchema.TENANT_ID, e.tenantId().value());
        doc.put(ReportSchema.CONVERSION_ID, eventId);
        doc.put(ReportSchema.CLICK_ID, e.clickId());
        doc.put(ReportSchema.TIME, e.receivedAt().toEpochMilli());
        doc.put(ReportSchema.OFFER_ID, e.offerId());
        doc.put(ReportSchema.AFFILIATE_ID, e.affiliateId());
        copyClick(doc, click);
        if (click != null && click.get(ReportSchema.ADVERTISER_ID) != null) {
            doc.put(ReportSchema.ADVERTISER_ID, click.get(ReportSchema.ADVERTISER_ID));
        }
        doc.put(ReportSchema.GOAL, e.goal());
        doc.put(ReportSchema.TRANSACTION_ID, e.transactionId());
        doc.put(ReportSchema.STATUS, "REJECTED");
        doc.put(ReportSchema.REJECTION_REASON, e.reason() == null ? null : e.reason().code());
        doc.put(ReportSchema.CHANNEL, e.channel());
        doc.values().removeIf(java.util.Objects::isNull);
        return doc;
    }

    private static void copyClick(Map<String, Object> doc, Map<String, Object> click) {
        if (click == null || !doc.get(ReportSchema.TENANT_ID).equals(click.get(ReportSchema.TENANT_ID))) {
            return;
        }
        for (String field : CLICK_DIMENSIONS) {
            Object value = click.get(field);
            if (value != null) {
                doc.put(field, value);
            }
        }
        if (click.get(ReportSchema.TIME) != null) {
            doc.putIfAbsent(ReportSchema.CLICKED_AT, click.get(ReportSchema.TIME));
        }
    }

    /** Applies a status change once: a redelivered change (its status already left) is a no-op. */
    @SuppressWarnings("unchecked")
    private boolean applyStatus(Map<String, Object> doc, ConversionStatusChangedEvent e) {
        if (!e.from().name().equals(doc.get(ReportSchema.STATUS))) {
            return false;
        }
        doc.put(ReportSchema.STATUS, e.to().name());
        Object history = doc.get(ReportSchema.STATUS_HISTORY);
        List<Map<String, Object>> entries = history instanceof List<?> list ? new ArrayList<>((List<Map<String, Object>>) list) : new ArrayList<>();
        entries.add(historyEntry(e.from().name(), e.to().name(), e.changedAt().toEpochMilli()));
        doc.put(ReportSchema.STATUS_HISTORY, entries);
        if (e.revenue() != null && e.payout() != null) {
            money(doc, e.revenue().minor(), e.payout().minor(), e.revenue().currency());
        }
        return true;
    }

    private static Map<String, Object> historyEntry(String from, String to, long at) {
        Map<String, Object> entry = new LinkedHashMap<>();
        if (from != null) {
            entry.put(ReportSchema.HISTORY_FROM, from);
        }
        entry.put(ReportSchema.HISTORY_TO, to);
        entry.put(ReportSchema.HISTORY_AT, at);
        return entry;
    }
}
