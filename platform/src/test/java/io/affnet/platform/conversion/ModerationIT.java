package io.affnet.platform.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.platform.support.PlatformIT;
import io.affnet.platform.support.Traffic;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The network moderates conversions through the REST API, on the real stores: each moderation is an event
 * with its actor and reason, and commissions, the ledger, reports and outbound postbacks follow as they do
 * for a postback's change; roles, tenants and bad input are refused with nothing changed; a bulk
 * moderation by filter moderates each conversion on its own and reports counts; review rules hold
 * conversions as pending, visible in the conversion log.
 */
class ModerationIT extends PlatformIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String RECORDED = "io.affnet.api.conversion.ConversionRecordedEvent";
    private static final String MODERATED = "io.affnet.api.conversion.ConversionModeratedEvent";

    /** A tenant with one offer (lead pays 2.00, revenue 3.00), an affiliate with an outbound template and a link. */
    private final class Setup {
        final Traffic t;
        final String offer;
        final String affiliate;
        final String code;

        Setup(String stem) throws Exception {
            t = Traffic.tenant(ModerationIT.this, stem, false);
            offer = t.offer("null", 86400);
            affiliate = t.affiliate("mod@example.com", "[]");
            code = t.link(affiliate, offer);
            // Nothing listens there (the it profile allows 127.0.0.1 on high ports): deliveries are enqueued, which is what is checked.
            Response r = send("PUT", "/api/v1/affiliates/" + affiliate + "/postback", t.key,
                    "{\"templates\":[{\"url\":\"http://127.0.0.1:60998/pb?cid={click_id}&st={status}&p={payout}\"}]}");
            assertThat(r.status()).as(r.body()).isIn(200, 201);
        }

        /** Clicks, reports a lead with the status, and answers the conversion id once moderation can see it. */
        String convert(String txn, String status) throws Exception {
            String click = t.clickId(code);
            assertThat(t.postback("click_id=" + click + "&goal=lead&txn_id=" + txn + "&status=" + status).body()).isEqualTo("accepted");
            String conversion = t.lastEvent(click, RECORDED).get("conversionId").asText();
            await().atMost(WAIT).until(() -> queue("").toString().contains(conversion));
            return conversion;
        }

        JsonNode queue(String query) {
            Response r = send("GET", "/api/v1/conversions/moderation?limit=1000" + query, t.key, null);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            return r.json().get("items");
        }

        String status(String conversion) {
            for (JsonNode item : queue("")) {
                if (item.get("conversionId").asText().equals(conversion)) {
                    return item.get("status").asText();
                }
            }
            return null;
        }

        int deliveries(String conversion) {
            return jdbc.queryForObject("SELECT count(*) FROM outbound_delivery WHERE tenant_id = ? AND conversion_id = ?",
                    Integer.class, t.tenantId, conversion);
        }

        int moderatedEvents() {
            return jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE payloadtype = ? AND aggregateidentifier IN "
                    + "(SELECT click_id FROM conversion_moderation WHERE tenant_id = ?)", Integer.class, MODERATED, t.tenantId);
        }

        Response moderate(String key, String conversion, String action, String body) {
            return send("POST", "/api/v1/conversions/" + conversion + "/" + action, key, body);
        }

        String key(String json) {
            Response r = send("POST", "/api/v1/keys", t.key, json);
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            return r.json().get("key").asText();
        }

        /** The report API's totals for today on the offer: conversions by status and payout. */
        JsonNode report() {
            LocalDate today = LocalDate.now(ZoneId.of("Europe/Berlin"));
            Response r = send("GET", "/api/v1/reports?metrics=conversions_pending,conversions_approved,conversions_rejected,"
                    + "conversions_reversed,payout,revenue&groupBy=offer&from=" + today.minusDays(1) + "&to=" + today.plusDays(2), t.key, null);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            List<String> columns = new ArrayList<>();
            r.json().get("columns").forEach(c -> columns.add(c.asText()));
            // The offer's own row: a click that came before the offer reached the click path's cache is
            // recorded as not served, without an offer, and makes a row of its own (offer null, sorted first).
            JsonNode row = null;
            for (JsonNode candidate : r.json().get("rows")) {
                if (offer.equals(candidate.get(columns.indexOf("offer")).asText())) {
                    row = candidate;
                }
            }
            assertThat(row).as("the offer's row in " + r.body()).isNotNull();
            com.fasterxml.jackson.databind.node.ObjectNode out = JSON.createObjectNode();
            for (int i = 0; i < columns.size(); i++) {
                out.set(columns.get(i), row.get(i));
            }
            return out;
        }

        JsonNode ledger() {
            Response r = send("GET", "/api/v1/affiliates/" + affiliate + "/ledger/balances", t.key, null);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            return r.json().at("/balances/0");
        }

        long ledgerTotal() {
            JsonNode b = ledger();
            return b.path("pendingMinor").asLong() + b.path("availableMinor").asLong();
        }

        /** A GraphQL request with this key; the answer's JSON (HTTP 200 whatever the outcome, as GraphQL answers). */
        JsonNode graphql(String key, String query) {
            Response r = send("POST", "/graphql", key, "{\"query\":" + JSON.valueToTree(query) + "}");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            return r.json();
        }
    }

    @Test
    void moderationMovesCommissionsTheLedgerReportsAndOutboundPostbacksAsAPostbackWould() throws Exception {
        Setup s = new Setup("moderate");
        String approveMe = s.convert("m-1", "pending");
        String adjustMe = s.convert("m-2", "pending");
        String rejectMe = s.convert("m-3", "pending");
        await().atMost(WAIT).untilAsserted(() -> assertThat(s.deliveries(approveMe)).as("the recorded conversion's delivery").isEqualTo(1));

        Response approved = s.moderate(s.t.key, approveMe, "approve", "{\"reason\":\"order shipped\"}");
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(approved.json().get("from").asText()).isEqualTo("PENDING");
        assertThat(approved.json().get("to").asText()).isEqualTo("APPROVED");
        Response adjusted = s.moderate(s.t.key, adjustMe, "adjust", "{\"reason\":\"partial order\",\"payout\":\"1.20\"}");
        assertThat(adjusted.status()).as(adjusted.body()).isEqualTo(200);
        assertThat(adjusted.json().get("payout").asText()).isEqualTo("1.20");
        Response rejected = s.moderate(s.t.key, rejectMe, "reject", "{\"reason\":\"test order\"}");
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);

        // The ledger earns the approved commission, as it does for an approving postback.
        await().atMost(WAIT).until(() -> s.ledgerTotal() == 200);
        // The outbound postback of each status change is enqueued, as for a postback's change.
        await().atMost(WAIT).until(() -> s.deliveries(approveMe) == 2 && s.deliveries(rejectMe) == 2);
        // Reports: one approved, one pending (at the adjusted payout), one rejected.
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode report = s.report();
            assertThat(report.get("conversions_approved").asLong()).as(report.toString()).isEqualTo(1);
            assertThat(report.get("conversions_pending").asLong()).isEqualTo(1);
            assertThat(report.get("conversions_rejected").asLong()).isEqualTo(1);
            assertThat(report.get("payout_EUR").asText()).isEqualTo("3.20");
        });
        // Commissions: the replay of the history equals the commission view, the adjusted amount included.
        String auditor = s.key("{\"role\":\"AUDITOR\"}");
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode state = send("GET", "/api/v1/audit/state?at=now", auditor, null).json();
            assertThat(state.at("/live/differences")).as(state.toString()).isEmpty();
            assertThat(state.at("/figures/balance~1" + s.affiliate + "~1EUR~1approvedMinor").asLong()).isEqualTo(200);
            assertThat(state.at("/figures/balance~1" + s.affiliate + "~1EUR~1pendingMinor").asLong()).isEqualTo(120);
        });

        // Each moderation is an event with its actor and reason in the audit trail.
        JsonNode events = send("GET", "/api/v1/audit/events?type=ConversionModeratedEvent", auditor, null).json().get("events");
        assertThat(events).hasSize(3);
        assertThat(events).anySatisfy(e -> {
            assertThat(e.at("/payload/conversionId").asText()).isEqualTo(rejectMe);
            assertThat(e.at("/payload/action").asText()).isEqualTo("REJECT");
            assertThat(e.at("/payload/reason").asText()).isEqualTo("test order");
            assertThat(e.at("/payload/actorRole").asText()).isEqualTo("TENANT_ADMIN");
            assertThat(e.at("/actor/role").asText()).isEqualTo("TENANT_ADMIN");
            assertThat(e.at("/actor/via").asText()).isEqualTo("rest");
        });

        // Reversing the approved one takes the commission back from the ledger.
        Response reversed = s.moderate(s.t.key, approveMe, "reverse", "{\"reason\":\"chargeback\"}");
        assertThat(reversed.status()).as(reversed.body()).isEqualTo(200);
        await().atMost(WAIT).until(() -> s.ledgerTotal() == 0);
        await().atMost(WAIT).until(() -> s.deliveries(approveMe) == 3);
        await().atMost(WAIT).until(() -> "REVERSED".equals(s.status(approveMe)));
    }

    @Test
    void otherRolesAndTenantsAreRefusedAndBadInputChangesNothing() throws Exception {
        Setup s = new Setup("moderate-refusals");
        String conversion = s.convert("r-1", "pending");
        String affiliateKey = s.key("{\"role\":\"AFFILIATE\",\"affiliateId\":\"" + s.affiliate + "\"}");
        String analystKey = s.key("{\"role\":\"TENANT_ANALYST\"}");
        String auditorKey = s.key("{\"role\":\"AUDITOR\"}");
        String advertiserKey = s.key("{\"role\":\"ADVERTISER\",\"advertiserId\":\"" + s.t.advertiserId + "\"}");
        for (String key : List.of(affiliateKey, analystKey, auditorKey, advertiserKey)) {
            Response r = s.moderate(key, conversion, "approve", null);
            assertThat(r.status()).as(r.body()).isEqualTo(403);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(send("POST", "/api/v1/conversions/moderation", key,
                    "{\"action\":\"APPROVE\",\"filter\":{\"status\":\"PENDING\"}}").status()).isEqualTo(403);
        }
        Setup other = new Setup("moderate-other");
        Response foreign = other.moderate(other.t.key, conversion, "approve", null);
        assertThat(foreign.status()).as(foreign.body()).isEqualTo(404);
        assertThat(foreign.contentType()).startsWith("application/problem+json");

        List<String[]> bad = List.of(
                new String[]{"reject", "{}", "reason"},
                new String[]{"reject", "{\"reason\":\"" + "x".repeat(501) + "\"}", "reason"},
                new String[]{"adjust", "{\"reason\":\"r\"}", "payout"},
                new String[]{"adjust", "{\"reason\":\"r\",\"payout\":\"-1\"}", "payout"},
                new String[]{"adjust", "{\"reason\":\"r\",\"payout\":\"1.001\"}", "payout"},
                new String[]{"approve", "{\"payout\":\"1.00\"}", "payout"},
                new String[]{"adjust", "{\"reason\":\"r\",\"payout\":\"abc\"}", null});
        for (String[] b : bad) {
            Response r = s.moderate(s.t.key, conversion, b[0], b[1]);
            assertThat(r.status()).as(b[1] + " " + r.body()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            if (b[2] != null) {
                assertThat(r.body()).contains(b[2]);
            }
        }
        for (String body : List.of("{\"action\":\"APPROVE\",\"filter\":{}}", "{\"action\":\"FREEZE\",\"filter\":{\"status\":\"PENDING\"}}",
                "{\"action\":\"REJECT\",\"filter\":{\"status\":\"PENDING\"}}", "{\"action\":\"APPROVE\"}",
                "{\"action\":\"APPROVE\",\"filter\":{\"status\":\"PENDING\"},\"limit\":0}")) {
            Response r = send("POST", "/api/v1/conversions/moderation", s.t.key, body);
            assertThat(r.status()).as(body + " " + r.body()).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
        Response unknown = s.moderate(s.t.key, "cv_missing", "approve", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(s.status(conversion)).isEqualTo("PENDING");
        assertThat(s.moderatedEvents()).isZero();

        // A status that cannot move that way is a conflict, and changes nothing either.
        assertThat(s.moderate(s.t.key, conversion, "approve", null).status()).isEqualTo(200);
        Response twice = s.moderate(s.t.key, conversion, "reject", "{\"reason\":\"late\"}");
        assertThat(twice.status()).as(twice.body()).isEqualTo(409);
        Response approveTwice = s.moderate(s.t.key, conversion, "approve", "{\"reason\":\"again\"}");
        assertThat(approveTwice.status()).as(approveTwice.body()).isEqualTo(409);
        assertThat(s.moderatedEvents()).isEqualTo(1);

        // Where the tenant allows it, an advertiser moderates its own offers' conversions (revenue only).
        Response allow = send("PUT", "/api/v1/postback-settings", s.t.key, "{\"fraud\":{\"minSecondsToConvert\":0,"
                + "\"maxConversionsPerClickGoal\":0,\"selfReferral\":true,\"flagOnly\":false},\"review\":{\"advertisersModerate\":true}}");
        assertThat(allow.status()).as(allow.body()).isEqualTo(200);
        String second = s.convert("r-2", "pending");
        await().atMost(WAIT).until(() -> s.moderate(advertiserKey, second, "adjust", "{\"reason\":\"r\",\"payout\":\"1.00\"}").status() == 403);
        Response byAdvertiser = s.moderate(advertiserKey, second, "adjust", "{\"reason\":\"basket smaller\",\"revenue\":\"2.50\"}");
        assertThat(byAdvertiser.status()).as(byAdvertiser.body()).isEqualTo(200);
        assertThat(byAdvertiser.json().has("payout")).as("an advertiser never sees the payout").isFalse();
        assertThat(s.moderate(advertiserKey, second, "approve", null).status()).isEqualTo(200);
        assertThat(s.moderate(affiliateKey, second, "reverse", "{\"reason\":\"x\"}").status()).isEqualTo(403);
        // Another advertiser of the same tenant does not see it.
        String otherAdvertiser = s.t.create("/api/v1/advertisers", "{\"name\":\"Other\",\"defaultCurrency\":\"EUR\"}");
        String otherKey = s.key("{\"role\":\"ADVERTISER\",\"advertiserId\":\"" + otherAdvertiser + "\"}");
        assertThat(s.moderate(otherKey, second, "reverse", "{\"reason\":\"x\"}").status()).isEqualTo(404);
    }

    /** The first error's classification, or "OK" when the answer has none. */
    private static String outcome(JsonNode answer) {
        JsonNode errors = answer.get("errors");
        return errors == null || errors.isEmpty() ? "OK" : errors.get(0).at("/extensions/classification").asText();
    }

    @Test
    void graphQlModeratesWithTheRestRulesAndTheSameEffects() throws Exception {
        Setup s = new Setup("moderate-graphql");
        String approveMe = s.convert("g-1", "pending");
        String adjustMe = s.convert("g-2", "pending");
        String rejectMe = s.convert("g-3", "pending");
        String bulkMe = s.convert("g-4", "pending");

        // Refused roles and tenants: a GraphQL error each, and nothing changes.
        String affiliateKey = s.key("{\"role\":\"AFFILIATE\",\"affiliateId\":\"" + s.affiliate + "\"}");
        String analystKey = s.key("{\"role\":\"TENANT_ANALYST\"}");
        String auditorKey = s.key("{\"role\":\"AUDITOR\"}");
        String advertiserKey = s.key("{\"role\":\"ADVERTISER\",\"advertiserId\":\"" + s.t.advertiserId + "\"}");
        for (String key : List.of(affiliateKey, analystKey, auditorKey, advertiserKey, OPERATOR_KEY)) {
            JsonNode a = s.graphql(key, "mutation { approveConversion(conversionId: \"" + approveMe + "\") { to } }");
            assertThat(outcome(a)).as(a.toString()).isEqualTo("FORBIDDEN");
            assertThat(a.get("data").isNull()).as("no data for a refused mutation: " + a).isTrue();
            JsonNode b = s.graphql(key, "mutation { moderateConversions(action: APPROVE, filter: {status: PENDING}) { moderated } }");
            assertThat(outcome(b)).as(b.toString()).isEqualTo("FORBIDDEN");
            JsonNode q = s.graphql(key, "{ moderationQueue { conversionId } }");
            assertThat(outcome(q)).as(q.toString()).isEqualTo("FORBIDDEN");
        }
        Setup other = new Setup("moderate-graphql-other");
        JsonNode foreign = other.graphql(other.t.key, "mutation { approveConversion(conversionId: \"" + approveMe + "\") { to } }");
        assertThat(outcome(foreign)).as(foreign.toString()).isEqualTo("NOT_FOUND");
        JsonNode foreignBulk = other.graphql(other.t.key, "mutation { moderateConversions(action: APPROVE, filter: {conversionIds: [\""
                + approveMe + "\"]}) { matched moderated } }");
        assertThat(foreignBulk.at("/data/moderateConversions/matched").asInt()).as(foreignBulk.toString()).isZero();
        // Bad input: 400-like errors naming the field, never an internal error, nothing changed.
        for (String[] bad : List.of(
                new String[]{"mutation { rejectConversion(conversionId: \"" + rejectMe + "\") { to } }", "reason"},
                new String[]{"mutation { rejectConversion(conversionId: \"" + rejectMe + "\", reason: \"" + "x".repeat(501) + "\") { to } }", "reason"},
                new String[]{"mutation { adjustConversion(conversionId: \"" + adjustMe + "\", reason: \"r\", payout: \"abc\") { to } }", "payout"},
                new String[]{"mutation { adjustConversion(conversionId: \"" + adjustMe + "\", reason: \"r\", payout: \"-1\") { to } }", "payout"},
                new String[]{"mutation { adjustConversion(conversionId: \"" + adjustMe + "\", reason: \"r\", payout: \"1.001\") { to } }", "payout"},
                new String[]{"mutation { moderateConversions(action: APPROVE, filter: {}) { moderated } }", "filter"},
                new String[]{"mutation { moderateConversions(action: REJECT, filter: {status: PENDING}) { moderated } }", "reason"},
                new String[]{"mutation { moderateConversions(action: APPROVE, filter: {status: PENDING}, limit: 0) { moderated } }", "limit"},
                new String[]{"mutation { moderateConversions(action: APPROVE, filter: {from: \"yesterday\"}) { moderated } }", "filter.from"},
                new String[]{"mutation { moderateConversions(action: APPROVE, filter: {to: \"2301-01-01T00:00:00Z\"}) { moderated } }", "filter.to"},
                new String[]{"{ moderationQueue(limit: 5000) { conversionId } }", "limit"},
                new String[]{"{ moderationQueue(from: \"soon\") { conversionId } }", "from"})) {
            JsonNode a = s.graphql(s.t.key, bad[0]);
            assertThat(outcome(a)).as(bad[0] + " -> " + a).isEqualTo("BAD_REQUEST");
            // The field is named in the message or in the problem's errors (extensions.errors[].field).
            assertThat(a.get("errors").get(0).toString()).as(a.toString()).contains(bad[1]);
        }
        assertThat(s.moderatedEvents()).isZero();
        assertThat(s.status(approveMe)).isEqualTo("PENDING");

        // The tenant admin moderates; the same events and effects as REST.
        JsonNode approved = s.graphql(s.t.key, "mutation { approveConversion(conversionId: \"" + approveMe
                + "\", reason: \"order shipped\") { conversionId action from to currency revenue payout } }");
        assertThat(approved.at("/data/approveConversion/from").asText()).as(approved.toString()).isEqualTo("PENDING");
        assertThat(approved.at("/data/approveConversion/to").asText()).isEqualTo("APPROVED");
        assertThat(approved.at("/data/approveConversion/payout").asText()).isEqualTo("2.00");
        JsonNode adjusted = s.graphql(s.t.key, "mutation { adjustConversion(conversionId: \"" + adjustMe
                + "\", reason: \"partial order\", payout: \"1.20\") { to payout } }");
        assertThat(adjusted.at("/data/adjustConversion/payout").asText()).as(adjusted.toString()).isEqualTo("1.20");
        JsonNode rejected = s.graphql(s.t.key, "mutation { rejectConversion(conversionId: \"" + rejectMe
                + "\", reason: \"test order\") { to } }");
        assertThat(rejected.at("/data/rejectConversion/to").asText()).as(rejected.toString()).isEqualTo("REJECTED");
        JsonNode twice = s.graphql(s.t.key, "mutation { rejectConversion(conversionId: \"" + rejectMe + "\", reason: \"again\") { to } }");
        assertThat(twice.at("/errors/0/extensions/type").asText()).as(twice.toString()).isEqualTo("invalid-status-change");
        assertThat(s.graphql(s.t.key, "mutation { approveConversion(conversionId: \"cv_missing\") { to } }").at("/errors/0/extensions/classification")
                .asText()).isEqualTo("NOT_FOUND");
        await().atMost(WAIT).until(() -> s.ledgerTotal() == 200);
        await().atMost(WAIT).until(() -> s.deliveries(approveMe) == 2 && s.deliveries(rejectMe) == 2);

        // The queue through GraphQL: the pending ones, with the adjusted payout.
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode queue = s.graphql(s.t.key, "{ moderationQueue(status: PENDING) { conversionId status payout affiliateId convertedAt } }");
            assertThat(queue.at("/data/moderationQueue")).as(queue.toString()).hasSize(2);
            assertThat(queue.toString()).contains(adjustMe).contains(bulkMe).contains("\"1.20\"").contains(s.affiliate);
        });
        // Bulk by filter: the two pending ones by id, and an unknown id that matches nothing.
        JsonNode bulk = s.graphql(s.t.key, "mutation { moderateConversions(action: APPROVE, reason: \"weekly\", filter: {conversionIds: [\""
                + adjustMe + "\", \"" + bulkMe + "\", \"" + rejectMe + "\"]}) { action matched moderated refused "
                + "refusedByType { type count } results { conversionId outcome to type } } }");
        assertThat(bulk.at("/data/moderateConversions/matched").asInt()).as(bulk.toString()).isEqualTo(3);
        assertThat(bulk.at("/data/moderateConversions/moderated").asInt()).isEqualTo(2);
        assertThat(bulk.at("/data/moderateConversions/refusedByType/0/type").asText()).isEqualTo("invalid-status-change");
        assertThat(bulk.at("/data/moderateConversions/refusedByType/0/count").asInt()).isEqualTo(1);
        await().atMost(WAIT).until(() -> s.ledgerTotal() == 200 + 120 + 200);

        // Each is an audit event with the GraphQL caller as its actor, through the API (channel rest, key id).
        String auditor = s.key("{\"role\":\"AUDITOR\"}");
        JsonNode events = send("GET", "/api/v1/audit/events?type=ConversionModeratedEvent", auditor, null).json().get("events");
        assertThat(events).hasSize(5);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.at("/payload/actorRole").asText()).isEqualTo("TENANT_ADMIN");
            assertThat(e.at("/actor/role").asText()).as(e.toString()).isEqualTo("TENANT_ADMIN");
            assertThat(e.at("/actor/via").asText()).isEqualTo("rest");
            assertThat(e.at("/actor/keyId").asText()).isNotEmpty();
        });
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode state = send("GET", "/api/v1/audit/state?at=now", auditor, null).json();
            assertThat(state.at("/live/differences")).as(state.toString()).isEmpty();
        });

        // Where the tenant allows it, an advertiser moderates its own offers' conversions through GraphQL (revenue only).
        Response allow = send("PUT", "/api/v1/postback-settings", s.t.key, "{\"fraud\":{\"minSecondsToConvert\":0,"
                + "\"maxConversionsPerClickGoal\":0,\"selfReferral\":true,\"flagOnly\":false},\"review\":{\"advertisersModerate\":true}}");
        assertThat(allow.status()).as(allow.body()).isEqualTo(200);
        String byAdvertiser = s.convert("g-5", "pending");
        await().atMost(WAIT).until(() -> "OK".equals(outcome(s.graphql(advertiserKey, "{ moderationQueue { conversionId } }"))));
        JsonNode advPayout = s.graphql(advertiserKey, "mutation { adjustConversion(conversionId: \"" + byAdvertiser
                + "\", reason: \"r\", payout: \"1.00\") { to } }");
        assertThat(outcome(advPayout)).as("an advertiser never adjusts the payout: " + advPayout).isEqualTo("FORBIDDEN");
        JsonNode advAdjust = s.graphql(advertiserKey, "mutation { adjustConversion(conversionId: \"" + byAdvertiser
                + "\", reason: \"basket smaller\", revenue: \"2.50\") { revenue payout } }");
        assertThat(advAdjust.at("/data/adjustConversion/revenue").asText()).as(advAdjust.toString()).isEqualTo("2.50");
        assertThat(advAdjust.at("/data/adjustConversion/payout").isNull()).as("an advertiser never sees the payout").isTrue();
        JsonNode advQueue = s.graphql(advertiserKey, "{ moderationQueue(status: PENDING) { conversionId affiliateId payout } }");
        assertThat(advQueue.at("/data/moderationQueue/0/conversionId").asText()).as(advQueue.toString()).isEqualTo(byAdvertiser);
        assertThat(advQueue.at("/data/moderationQueue/0/payout").isNull()).isTrue();
        assertThat(advQueue.at("/data/moderationQueue/0/affiliateId").isNull()).isTrue();
        assertThat(outcome(s.graphql(affiliateKey, "mutation { reverseConversion(conversionId: \"" + byAdvertiser
                + "\", reason: \"x\") { to } }"))).isEqualTo("FORBIDDEN");
        String otherAdvertiser = s.t.create("/api/v1/advertisers", "{\"name\":\"Other\",\"defaultCurrency\":\"EUR\"}");
        String otherKey = s.key("{\"role\":\"ADVERTISER\",\"advertiserId\":\"" + otherAdvertiser + "\"}");
        assertThat(outcome(s.graphql(otherKey, "mutation { approveConversion(conversionId: \"" + byAdvertiser + "\") { to } }")))
                .isEqualTo("NOT_FOUND");
        JsonNode approvedByAdvertiser = s.graphql(advertiserKey, "mutation { approveConversion(conversionId: \"" + byAdvertiser + "\") { to } }");
        assertThat(approvedByAdvertiser.at("/data/approveConversion/to").asText()).as(approvedByAdvertiser.toString()).isEqualTo("APPROVED");
    }

    /** What the affiliate is owed on the ledger from adjustments alone, and the deliveries of one trigger. */
    private long ledgerAdjustments(Setup s) {
        return jdbc.queryForObject("SELECT coalesce(sum(amount_minor), 0) FROM ledger_line WHERE tenant_id = ? AND kind = 'ADJUSTMENT' "
                + "AND account IN ('AFFILIATE_PENDING', 'AFFILIATE_AVAILABLE')", Long.class, s.t.tenantId);
    }

    private int deliveries(Setup s, String conversion, String trigger) {
        return jdbc.queryForObject("SELECT count(*) FROM outbound_delivery WHERE tenant_id = ? AND conversion_id = ? AND trigger = ?",
                Integer.class, s.t.tenantId, conversion, trigger);
    }

    @Test
    void adjustingAnApprovedConversionMovesTheLedgerByTheDifferenceAndEverythingFollows() throws Exception {
        Setup s = new Setup("moderate-adjust-approved");
        String conversion = s.convert("a-1", "approved");
        await().atMost(WAIT).until(() -> s.ledgerTotal() == 200);

        // Up: payout 2.00 -> 3.50, revenue 3.00 -> 5.00. The ledger moves by +1.50 as an entry of its own.
        Response up = s.moderate(s.t.key, conversion, "adjust", "{\"reason\":\"bonus agreed\",\"payout\":\"3.50\",\"revenue\":\"5.00\"}");
        assertThat(up.status()).as(up.body()).isEqualTo(200);
        assertThat(up.json().get("from").asText()).isEqualTo("APPROVED");
        assertThat(up.json().get("to").asText()).isEqualTo("APPROVED");
        assertThat(up.json().get("payout").asText()).isEqualTo("3.50");
        await().atMost(WAIT).until(() -> s.ledgerTotal() == 350);
        assertThat(ledgerAdjustments(s)).isEqualTo(150);
        // The earning's entry is untouched (nothing is edited); the difference is a balanced entry of its own.
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT entry_id) FROM ledger_line WHERE tenant_id = ? AND kind = 'ADJUSTMENT'",
                Integer.class, s.t.tenantId)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT sum(amount_minor) FROM ledger_line WHERE tenant_id = ? AND kind = 'ADJUSTMENT'",
                Long.class, s.t.tenantId)).isZero();
        assertThat(jdbc.queryForObject("SELECT sum(amount_minor) FROM ledger_line WHERE tenant_id = ? AND account = 'NETWORK_MARGIN'",
                Long.class, s.t.tenantId)).as("margin: revenue 5.00 - payout 3.50").isEqualTo(150);
        // Reports and the commission view follow; the replay equals the live views.
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode report = s.report();
            assertThat(report.get("conversions_approved").asLong()).as(report.toString()).isEqualTo(1);
            assertThat(report.get("payout_EUR").asText()).isEqualTo("3.50");
            assertThat(report.get("revenue_EUR").asText()).isEqualTo("5.00");
        });
        String auditor = s.key("{\"role\":\"AUDITOR\"}");
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode state = send("GET", "/api/v1/audit/state?at=now", auditor, null).json();
            assertThat(state.at("/live/differences")).as(state.toString()).isEmpty();
            assertThat(state.at("/figures/balance~1" + s.affiliate + "~1EUR~1approvedMinor").asLong()).isEqualTo(350);
        });
        // The affiliate's tracker hears of the new payout.
        await().atMost(WAIT).until(() -> deliveries(s, conversion, "conversion.adjusted") == 1);
        String url = jdbc.queryForObject("SELECT url FROM outbound_delivery WHERE tenant_id = ? AND conversion_id = ? AND trigger = ?",
                String.class, s.t.tenantId, conversion, "conversion.adjusted");
        assertThat(url).contains("st=approved").contains("p=3.50");

        // Down below the original: 3.50 -> 0.80; the ledger follows by -2.70.
        Response down = s.moderate(s.t.key, conversion, "adjust", "{\"reason\":\"partial refund\",\"payout\":\"0.80\"}");
        assertThat(down.status()).as(down.body()).isEqualTo(200);
        await().atMost(WAIT).until(() -> s.ledgerTotal() == 80);
        assertThat(ledgerAdjustments(s)).isEqualTo(-120);
        await().atMost(WAIT).until(() -> deliveries(s, conversion, "conversion.adjusted") == 2);
        // The affiliate's statement lists both adjustments, and its closing is what the ledger holds.
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        Response statement = send("GET", "/api/v1/affiliates/" + s.affiliate + "/statements?from=" + today.minusDays(1) + "&to="
                + today.plusDays(1), s.t.key, null);
        assertThat(statement.status()).as(statement.body()).isEqualTo(200);
        assertThat(statement.body().split("\"adjustment\"", -1).length - 1).as(statement.body()).isEqualTo(2);

        // A reversal takes back exactly the adjusted payout: nothing is left on the ledger.
        Response reversed = s.moderate(s.t.key, conversion, "reverse", "{\"reason\":\"chargeback\"}");
        assertThat(reversed.status()).as(reversed.body()).isEqualTo(200);
        await().atMost(WAIT).until(() -> s.ledgerTotal() == 0);
        assertThat(jdbc.queryForObject("SELECT coalesce(sum(amount_minor), 0) FROM ledger_line WHERE tenant_id = ? AND account = 'NETWORK_MARGIN'",
                Long.class, s.t.tenantId)).isZero();
        // A reversed conversion is not adjusted any more.
        Response late = s.moderate(s.t.key, conversion, "adjust", "{\"reason\":\"late\",\"payout\":\"1.00\"}");
        assertThat(late.status()).as(late.body()).isEqualTo(409);
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode state = send("GET", "/api/v1/audit/state?at=now", auditor, null).json();
            assertThat(state.at("/live/differences")).as(state.toString()).isEmpty();
            assertThat(state.at("/figures/balance~1" + s.affiliate + "~1EUR~1reversedMinor").asLong()).isEqualTo(80);
        });
    }

    @Test
    void bulkModerationByFilterModeratesEachConversionOnItsOwnAndReportsCounts() throws Exception {
        Setup s = new Setup("moderate-bulk");
        // Conversions paying more than 1.00 are held for review instead of approved.
        Response rules = send("PUT", "/api/v1/postback-settings", s.t.key, "{\"fraud\":{\"minSecondsToConvert\":0,"
                + "\"maxConversionsPerClickGoal\":0,\"selfReferral\":true,\"flagOnly\":false},\"review\":{\"offerHoldAbove\":{\""
                + s.offer + "\":\"1.00\"}}}");
        assertThat(rules.status()).as(rules.body()).isEqualTo(200);
        String held = s.convert("b-1", "approved");
        JsonNode heldItem = s.queue("&held=true").get(0);
        assertThat(heldItem.get("conversionId").asText()).isEqualTo(held);
        assertThat(heldItem.get("status").asText()).isEqualTo("PENDING");
        assertThat(heldItem.get("held").asText()).isEqualTo("review_amount");
        await().atMost(WAIT).untilAsserted(() -> {
            Response log = send("GET", "/api/v1/reports/conversions?filter.conversion_id=" + held, s.t.key, null);
            assertThat(log.json().at("/items/0/flagged").asText()).as(log.body()).isEqualTo("review_amount");
            assertThat(log.json().at("/items/0/status").asText()).isEqualTo("PENDING");
        });

        Response lift = send("PUT", "/api/v1/postback-settings", s.t.key, "{\"fraud\":{\"minSecondsToConvert\":0,"
                + "\"maxConversionsPerClickGoal\":0,\"selfReferral\":true,\"flagOnly\":false}}");
        assertThat(lift.status()).isEqualTo(200);
        String p1 = s.convert("b-2", "pending");
        String p2 = s.convert("b-3", "pending");
        String approved = s.convert("b-4", "approved");

        Response bulk = send("POST", "/api/v1/conversions/moderation", s.t.key,
                "{\"action\":\"APPROVE\",\"reason\":\"weekly review\",\"filter\":{\"status\":\"PENDING\"}}");
        assertThat(bulk.status()).as(bulk.body()).isEqualTo(200);
        assertThat(bulk.json().get("matched").asInt()).isEqualTo(3);
        assertThat(bulk.json().get("moderated").asInt()).isEqualTo(3);
        assertThat(bulk.json().get("refused").asInt()).isZero();
        await().atMost(WAIT).until(() -> s.queue("&status=APPROVED").size() == 4);
        await().atMost(WAIT).until(() -> s.ledgerTotal() == 800);

        // Every conversion of the offer: all approved, so reject refuses each one, and changes nothing.
        Response refused = send("POST", "/api/v1/conversions/moderation", s.t.key,
                "{\"action\":\"REJECT\",\"reason\":\"too late\",\"filter\":{\"offerId\":\"" + s.offer + "\"}}");
        assertThat(refused.status()).as(refused.body()).isEqualTo(200);
        assertThat(refused.json().get("matched").asInt()).isEqualTo(4);
        assertThat(refused.json().get("moderated").asInt()).isZero();
        assertThat(refused.json().at("/refusedByType/invalid-status-change").asInt()).isEqualTo(4);

        // Mixed: reversing the held one and one other by id moderates two; a third id of another status is refused.
        Response mixed = send("POST", "/api/v1/conversions/moderation", s.t.key,
                "{\"action\":\"REVERSE\",\"reason\":\"chargebacks\",\"filter\":{\"conversionIds\":[\"" + held + "\",\"" + p1
                        + "\",\"cv_nope\"]}}");
        assertThat(mixed.json().get("matched").asInt()).as(mixed.body()).isEqualTo(2);
        assertThat(mixed.json().get("moderated").asInt()).isEqualTo(2);
        await().atMost(WAIT).until(() -> s.ledgerTotal() == 400);
        assertThat(s.status(p2)).isEqualTo("APPROVED");
        assertThat(s.status(approved)).isEqualTo("APPROVED");
        await().atMost(WAIT).until(() -> "REVERSED".equals(s.status(held)));
    }
}
