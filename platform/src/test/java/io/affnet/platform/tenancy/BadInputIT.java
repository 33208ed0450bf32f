package io.affnet.platform.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.affnet.platform.support.PlatformIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input matrix, generated from {@code /v3/api-docs}: every operation gets malformed path
 * parameters, malformed query parameters (documented ones, and the report and log parameters the
 * document cannot list), and a valid body (the one {@link BolaMatrixIT} uses) with one body field
 * replaced by a malformed value of its type's catalogue, or spoiled as a whole (duplicate keys,
 * trailing garbage, deep nesting, not JSON). The GraphQL report and log fields get the same values as
 * variables. Every answer must be below 500, an error must be {@code application/problem+json} with a
 * detail, and no answer may change stored state (the event store's size is compared before and after
 * each request). Malformed URLs that Tomcat itself rejects are sent over a raw socket. The catalogue
 * is sampled down to {@link #MAX_REQUESTS} with a fixed seed, printed for reproduction.
 */
class BadInputIT extends PlatformIT {

    static final long SEED = 12_2026L;
    static final int MAX_REQUESTS = 2500;

    static final String LONG = "x".repeat(100_000);
    static final String DEEP = "[".repeat(3000) + "]".repeat(3000);

    /** Malformed JSON values per schema type (JSON text). */
    static final Map<String, List<String>> BODY_VALUES = Map.of(
            "string", List.of("\"\\u0000\"", "\"a\\u0007b\"", "\"\\ud800\"", "\"" + LONG + "\"", "{}", DEEP),
            "integer", List.of("123456789012345678901234567890", "\"NaN\"", "{}", "-9223372036854775808", DEEP),
            "number", List.of("1e400", "\"\\u0000\"", "{}"),
            "boolean", List.of("\"\\u0000\"", "{}", "[]"),
            "array", List.of("\"\\u0000\"", "{}", DEEP),
            "object", List.of("\"\\u0000\"", "[]", DEEP));

    /** Malformed path segments, as sent (percent-encoded). */
    static final List<String> PATH_VALUES = List.of("%20", "a".repeat(3000), "%00", "a%01b", "%ED%A0%80", "%C0%AE",
            "..%2F..%2Fetc", "%7B%7D", "-1", "99999999999999999999999");

    /** Malformed query values, as sent (percent-encoded). */
    static final List<String> QUERY_VALUES = List.of("%00", "a%01b", "%ED%A0%80", "y".repeat(5000), "-1", "-2147483648",
            "99999999999999999999", "%2B300000000-01-01T00:00:00Z", "-999999999-01-01", cursor("o:-5"),
            cursor("o:-2147483648"), cursor("1|\u0000"), cursor("9223372036854775807|x\ud800"));

    /** Query parameters of routes whose parameters the OpenAPI document cannot list. */
    static final Map<String, String> EXTRA_QUERY = Map.of(
            "GET /api/v1/reports", "metrics=clicks&from=2026-01-01&to=2026-02-01|from,to,cursor,pageSize,metrics,groupBy,sort,format,filter.offer",
            "GET /api/v1/reports/conversions", "from=2026-01-01&to=2026-02-01|from,to,cursor,pageSize,format,filter.click_id,filter.status",
            "GET /api/v1/reports/clicks", "|from,to,cursor,pageSize,format,filter.sub1");

    static String cursor(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static TenantFixture a;
    static String spareKeyId;
    static String spareTokenId;

    @BeforeEach
    void tenant() {
        if (a == null) {
            a = TenantFixture.create(this, "bad-input");
            spareKeyId = a.newKey("{\"role\":\"TENANT_ANALYST\"}")[0];
            spareTokenId = a.newTokenId();
        }
    }

    record Probe(String label, String method, String path, String key, String body) {
    }

    @Test
    void everyOperationAnswersMalformedInputWithAProblemAndChangesNothing() {
        JsonNode docs = send("GET", "/v3/api-docs", null, null).json();
        Map<String, BolaMatrixIT.Row> rows = new LinkedHashMap<>();
        BolaMatrixIT.TABLE.forEach(r -> rows.putIfAbsent(r.route(), r));
        List<Probe> probes = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = docs.get("paths").fields();
        int operations = 0;
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields();
            while (methods.hasNext()) {
                Map.Entry<String, JsonNode> op = methods.next();
                String method = op.getKey().toUpperCase(Locale.ROOT);
                String route = method + " " + path.getKey();
                if (!path.getKey().startsWith("/api/")) {
                    continue;
                }
                operations++;
                BolaMatrixIT.Row row = rows.get(route);
                assertThat(row).as("a BolaMatrixIT row (concrete path and body) for " + route).isNotNull();
                probes.addAll(probes(route, method, resolve(row.path()), row.body() == null ? null : resolve(row.body()),
                        op.getValue(), docs));
            }
        }
        probes.addAll(graphQlProbes());
        Random random = new Random(SEED);
        Collections.shuffle(probes, random);
        System.out.println("BadInputIT: " + operations + " operations, " + probes.size() + " probes, seed " + SEED
                + (probes.size() > MAX_REQUESTS ? ", sampled to " + MAX_REQUESTS : ""));
        List<Probe> sample = probes.size() > MAX_REQUESTS ? probes.subList(0, MAX_REQUESTS) : probes;

        List<String> failures = new ArrayList<>();
        for (Probe p : sample) {
            long before = eventCount();
            Response r = send(p.method(), p.path(), p.key(), p.body());
            long after = eventCount();
            String what = p.label() + " -> " + r.status() + " " + abbreviate(r.body());
            if (r.status() >= 500) {
                failures.add("5xx: " + what);
            } else if (r.status() >= 400 && (!r.contentType().startsWith("application/problem+json")
                    || !r.body().contains("\"detail\""))) {
                failures.add("not a problem: " + r.contentType() + " " + what);
            } else if (p.path().equals("/graphql") && r.status() == 200 && r.body().contains("INTERNAL_ERROR")) {
                failures.add("GraphQL internal error: " + what);
            } else if (!p.method().equals("GET") && !p.path().equals("/graphql") && r.status() < 400) {
                failures.add("accepted: " + what);
            }
            if (after != before) {
                failures.add("changed stored state (" + (after - before) + " events): " + what);
            }
        }
        failures.forEach(f -> System.out.println("BadInputIT failure: " + f));
        assertThat(failures).as("bad input answered badly (seed " + SEED + ")").isEmpty();
    }

    private List<Probe> probes(String route, String method, String path, String body, JsonNode op, JsonNode docs) {
        List<Probe> out = new ArrayList<>();
        String key = route.contains("/tenants") && !route.startsWith("GET") || route.contains("/admin/") ? OPERATOR_KEY : a.admin();
        String query = path.contains("?") ? path.substring(path.indexOf('?') + 1) : "";
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        // Path parameters: each segment that holds a parameter in the route gets each malformed value.
        String[] template = route.substring(route.indexOf(' ') + 1).split("/");
        String[] concrete = bare.split("/");
        for (int i = 0; i < template.length && i < concrete.length; i++) {
            if (template[i].startsWith("{") && !template[i].equals("{kind}")) {
                for (String bad : PATH_VALUES) {
                    String[] copy = concrete.clone();
                    copy[i] = bad;
                    out.add(new Probe(route + " path " + template[i] + "=" + abbreviate(bad), method,
                            String.join("/", copy) + (query.isEmpty() ? "" : "?" + query), key, body));
                }
            }
        }
        // Query parameters: documented ones, and those of the report and log routes.
        List<String> names = new ArrayList<>();
        String base = query;
        for (JsonNode p : op.path("parameters")) {
            // "caller" is a documentation artefact the server ignores (issue 12 removes it from the document).
            if (p.path("in").asText().equals("query") && !p.get("name").asText().equals("caller")) {
                names.add(p.get("name").asText());
            }
        }
        if (EXTRA_QUERY.containsKey(route)) {
            String[] extra = EXTRA_QUERY.get(route).split("\\|");
            base = extra[0];
            names.addAll(List.of(extra[1].split(",")));
        }
        for (String name : names) {
            for (String bad : QUERY_VALUES) {
                String q = (base.isEmpty() ? "" : removeParam(base, name) + "&") + name + "=" + bad;
                out.add(new Probe(route + " query " + name + "=" + abbreviate(bad), method, bare + "?" + q, key, body));
            }
        }
        // Body fields: each top-level field of the valid body gets each malformed value of its type.
        if (body != null) {
            JsonNode valid = JSON.valueToTree(readTree(body));
            JsonNode schema = schema(op.at("/requestBody/content/application~1json/schema"), docs);
            Iterator<String> fields = valid.fieldNames();
            while (fields.hasNext()) {
                String field = fields.next();
                String type = schema.at("/properties/" + field + "/type").asText("");
                if (type.isEmpty()) {
                    type = schema.at("/properties/" + field + "/$ref").isMissingNode() ? "string" : "object";
                }
                for (String bad : BODY_VALUES.getOrDefault(type, BODY_VALUES.get("string"))) {
                    out.add(new Probe(route + " body " + field + "=" + abbreviate(bad), method, path, key,
                            replaceField(body, valid, field, bad)));
                }
            }
            String first = valid.fieldNames().hasNext() ? valid.fieldNames().next() : null;
            if (first != null) {
                String duplicate = "{\"" + first + "\":" + valid.get(first) + "," + body.trim().substring(1);
                out.add(new Probe(route + " body duplicate key " + first, method, path, key, duplicate));
            }
            out.add(new Probe(route + " body trailing garbage", method, path, key, body + " x"));
            out.add(new Probe(route + " body trailing document", method, path, key, body + " {}"));
            out.add(new Probe(route + " body deep nesting", method, path, key, DEEP));
            out.add(new Probe(route + " body not JSON", method, path, key, "{\"a\":"));
            out.add(new Probe(route + " body NUL key", method, path, key, "{\"\\u0000\":1}"));
        }
        return out;
    }

    private List<Probe> graphQlProbes() {
        List<Probe> out = new ArrayList<>();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("report.from", "query($v: String!) { report(metrics: [\"clicks\"], from: $v, to: \"2026-02-01\") { columns } }");
        fields.put("report.to", "query($v: String!) { report(metrics: [\"clicks\"], from: \"2026-01-01\", to: $v) { columns } }");
        fields.put("report.cursor", "query($v: String) { report(from: \"2026-01-01\", to: \"2026-02-01\", cursor: $v) { columns } }");
        fields.put("report.metrics", "query($v: String!) { report(metrics: [$v], from: \"2026-01-01\", to: \"2026-02-01\") { columns } }");
        fields.put("report.filter", "query($v: String!) { report(from: \"2026-01-01\", to: \"2026-02-01\", filters: [{name: \"offer\", values: [$v]}]) { columns } }");
        fields.put("conversionLog.cursor", "query($v: String) { conversionLog(cursor: $v) { columns } }");
        fields.put("conversionLog.from", "query($v: String) { conversionLog(from: $v) { columns } }");
        fields.put("clickLog.cursor", "query($v: String) { clickLog(cursor: $v) { columns } }");
        fields.put("clickLog.filter", "query($v: String!) { clickLog(filters: [{name: $v, values: [\"x\"]}]) { columns } }");
        fields.put("tenant.id", "query($v: ID) { tenant(id: $v) { id } }");
        // The console reads (config.graphqls, audit.graphqls): ids and cursors reach the REST controllers' checks.
        fields.put("advertiser.id", "query($v: ID!) { advertiser(id: $v) { id } }");
        fields.put("offer.id", "query($v: ID!) { offer(id: $v) { id } }");
        fields.put("affiliate.id", "query($v: ID!) { affiliate(id: $v) { id } }");
        fields.put("link.id", "query($v: ID!) { link(id: $v) { id } }");
        fields.put("links.after", "query($v: String) { links(after: $v) { next } }");
        fields.put("linkDistribution.linkId", "query($v: ID!) { linkDistribution(linkId: $v) { linkId } }");
        fields.put("apiKeys.after", "query($v: String) { apiKeys(after: $v) { next } }");
        fields.put("affiliatePostback.affiliateId", "query($v: ID!) { affiliatePostback(affiliateId: $v) { affiliateId } }");
        fields.put("postbackDeliveries.affiliateId", "query($v: ID!) { postbackDeliveries(affiliateId: $v) { next } }");
        fields.put("postbackDeliveries.after", "query($v: String) { postbackDeliveries(affiliateId: \"aff_x\", after: $v) { next } }");
        fields.put("conversionPostbackDeliveries.conversionId", "query($v: ID!) { conversionPostbackDeliveries(conversionId: $v) { next } }");
        fields.put("auditEvents.from", "query($v: String) { auditEvents(from: $v) { next } }");
        fields.put("auditEvents.after", "query($v: String) { auditEvents(after: $v) { next } }");
        fields.put("auditEvents.aggregateId", "query($v: String) { auditEvents(aggregateId: $v) { next } }");
        fields.put("auditEvents.types", "query($v: String!) { auditEvents(types: [$v]) { next } }");
        fields.put("auditState.at", "query($v: String) { auditState(at: $v) { at } }");
        fields.put("auditState.affiliateId", "query($v: ID) { auditState(affiliateId: $v) { at } }");
        fields.put("auditDiff.from", "query($v: String!) { auditDiff(from: $v, to: \"2030-01-01T00:00:00Z\") { to } }");
        fields.put("auditDiff.to", "query($v: String!) { auditDiff(from: \"2026-01-01T00:00:00Z\", to: $v) { to } }");
        fields.put("auditVerify.tenantId", "query($v: ID) { auditVerify(tenantId: $v) { line } }");
        List<String> values = List.of("\u0000", "a\u0007b", "\ud800", "y".repeat(5000), "+300000000-01-01T00:00:00Z",
                "-999999999-01-01", cursor("o:-5"), cursor("o:-2147483648"), cursor("1|\u0000"), "o:-5", "");
        fields.forEach((field, query) -> {
            for (String v : values) {
                ObjectNode body = JSON.createObjectNode();
                body.put("query", query);
                body.putObject("variables").put("v", v);
                out.add(new Probe("graphql " + field + "=" + abbreviate(v), "POST", "/graphql", a.admin(), body.toString()));
            }
        });
        for (String v : values) {
            ObjectNode body = JSON.createObjectNode();
            body.put("query", "query($v: ID) { tenant(id: $v) { id } }");
            body.putObject("variables").put("v", v);
            out.add(new Probe("graphql operator tenant.id=" + abbreviate(v), "POST", "/graphql", OPERATOR_KEY, body.toString()));
        }
        out.add(new Probe("graphql pageSize huge", "POST", "/graphql", a.admin(),
                "{\"query\":\"{ clickLog(pageSize: 99999999999) { columns } }\"}"));
        out.add(new Probe("graphql duplicate key", "POST", "/graphql", a.admin(),
                "{\"query\":\"{ clickLog { columns } }\",\"query\":\"{ clickLog { columns } }\"}"));
        out.add(new Probe("graphql trailing garbage", "POST", "/graphql", a.admin(), "{\"query\":\"{ clickLog { columns } }\"} x"));
        out.add(new Probe("graphql deep nesting", "POST", "/graphql", a.admin(), DEEP));
        return out;
    }

    /**
     * Commissions written before the intake maximum existed (or by a bug) can add up past a {@code long}:
     * the balance is refused with a problem, never wrapped into a negative number or a 500. The rows
     * are put straight into the read model because no API path can take such amounts any more.
     */
    @Test
    void aBalancePastWhatALongHoldsIsAProblemNotAWrappedNumber() {
        Response before = send("GET", "/api/v1/affiliates/" + a.aff2 + "/balance", a.admin(), null);
        assertThat(before.status()).as(before.body()).isEqualTo(200);
        for (int i = 0; i < 2; i++) {
            jdbc.update("INSERT INTO affiliate_commission (conversion_id, tenant_id, affiliate_id, offer_id, currency, amount_minor,"
                    + " status, updated_at) VALUES (?, ?, ?, ?, 'EUR', ?, 'APPROVED', now())",
                    "cv_overflow_" + a.tenantId + "_" + i, a.tenantId, a.aff2, a.off2, Long.MAX_VALUE / 2 + 1);
        }
        Response r = send("GET", "/api/v1/affiliates/" + a.aff2 + "/balance", a.admin(), null);
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("type").asText()).endsWith("/amount-out-of-range");
    }

    /** URLs the HTTP client refuses to send: over a raw socket, as an attacker would. */
    @Test
    void malformedUrlsThatTomcatRejectsAreAnsweredWithAProblemNotAnHtmlPage() throws Exception {
        List<String> failures = new ArrayList<>();
        for (String target : List.of("/api/v1/%", "/api/v1/a%00b", "/api/v1/{", "/api/v1/|", "/api/v1/%ZZ",
                "/api/v1/tenants/%c0%ae%c0%ae/", "/api/v1/a\\b", "/c/%", "/nothing-here", "/api/v1/reports?x=%")) {
            String response = raw("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            String head = response.contains("\r\n\r\n") ? response.substring(0, response.indexOf("\r\n\r\n")) : response;
            String body = response.substring(head.length()).trim();
            int status = Integer.parseInt(head.substring(9, 12));
            if (status < 400 || status >= 500 || !head.toLowerCase(Locale.ROOT).contains("content-type: application/problem+json")
                    || body.toLowerCase(Locale.ROOT).contains("<html") || body.contains("Tomcat") || body.contains("Exception")) {
                failures.add(target + " -> " + abbreviate(response));
            }
        }
        assertThat(failures).isEmpty();
    }

    private String raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonNode schema(JsonNode schema, JsonNode docs) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            return docs.at("/components/schemas/" + ref.substring(ref.lastIndexOf('/') + 1));
        }
        return schema;
    }

    private static Object readTree(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(body, e);
        }
    }

    /** The valid body with one field's value replaced by raw JSON text. */
    private static String replaceField(String body, JsonNode valid, String field, String rawValue) {
        StringBuilder out = new StringBuilder("{");
        Iterator<Map.Entry<String, JsonNode>> it = valid.fields();
        boolean first = true;
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(JSON.valueToTree(e.getKey()).toString()).append(':')
                    .append(e.getKey().equals(field) ? rawValue : e.getValue().toString());
        }
        return out.append('}').toString();
    }

    private static String removeParam(String query, String name) {
        List<String> kept = new ArrayList<>();
        for (String part : query.split("&")) {
            if (!part.isEmpty() && !part.startsWith(name + "=")) {
                kept.add(part);
            }
        }
        return String.join("&", kept);
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(tenant|adv|off|aff|lnk|slug|freshTenant|freshKey|freshToken)}");

    /** A's own objects; never a fresh one (no probe may succeed, so none needs one). */
    private String resolve(String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "tenant", "freshTenant" -> a.tenantId;
                case "adv" -> a.adv1;
                case "off" -> a.off1;
                case "aff" -> a.aff1;
                case "lnk" -> a.lnk1;
                case "slug" -> uniqueSlug("bad");
                case "freshKey" -> spareKeyId;
                case "freshToken" -> spareTokenId;
                default -> throw new IllegalStateException(m.group(1));
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 160 ? clean.substring(0, 160) + "…(" + s.length() + ")" : clean;
    }
}
