package io.affnet.platform.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.affnet.api.click.ClickOutcome;
import io.affnet.api.click.ClickMetaData;
import io.affnet.api.click.ClickRecordedEvent;
import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.conversion.ConversionRecordedEvent;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.offer.Amount;
import io.affnet.api.offer.Goal;
import io.affnet.api.offer.OfferStatus;
import io.affnet.api.offer.OfferTerms;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventhandling.DomainEventMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Fills the demo tenant with a small, realistic network so that every report, chart and portal has
 * something to show on the first start: three advertisers, six offers in EUR and USD, twelve
 * affiliates with links, one smart link, a postback token, an affiliate key and an advertiser key.
 * <p>
 * Everything configurable goes through the public REST API with the tenant's admin key (the same
 * validation and commands as a user's). Today's traffic goes through the real tracking endpoints:
 * clicks on {@code /c/{code}} and conversions (and a reversal) on {@code /postback}. The 29 days before
 * today cannot be clicked in the past, so they are appended to the event store as the same
 * {@link ClickRecordedEvent} and {@link ConversionRecordedEvent} the click and postback paths write,
 * built from the terms just created, and every projection (reports, ledger, balances) reads them
 * exactly as it reads live traffic.
 */
public final class DemoNetwork {

    private static final Logger log = LoggerFactory.getLogger(DemoNetwork.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] AGENTS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15"};
    private static final String[] DEVICES = {"desktop", "phone", "phone", "desktop"};
    private static final String[] COUNTRIES = {"DE", "DE", "DE", "AT", "CH", "FR", "NL", "US", "GB"};

    /** What the seed hands back: the keys to print. */
    public record Seeded(String affiliateKey, String affiliateName, String advertiserKey, String advertiserName) {
    }

    private record OfferSeed(String id, OfferTerms terms) {
    }

    private record LinkSeed(String id, String code, String affiliateId, List<String> offerIds, double quality) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String adminKey;
    private final String tenantId;
    private final ZoneId zone;
    private final EventStore eventStore;
    private final SplittableRandom random = new SplittableRandom(2026);

    public DemoNetwork(String base, String adminKey, String tenantId, ZoneId zone, EventStore eventStore) {
        this.base = base;
        this.adminKey = adminKey;
        this.tenantId = tenantId;
        this.zone = zone;
        this.eventStore = eventStore;
    }

    public Seeded seed(int historyDays) throws IOException, InterruptedException {
        // Postbacks follow clicks within seconds in this demo: the "too fast" fraud rule would refuse them.
        send("PUT", "/api/v1/postback-settings",
                "{\"fraud\":{\"minSecondsToConvert\":0,\"maxConversionsPerClickGoal\":0,\"selfReferral\":true,\"flagOnly\":false}}");
        String token = send("POST", "/api/v1/postback-tokens", null).get("token").asText();

        List<String[]> advertiserSeeds = List.of(
                new String[]{"Northwind Outfitters", "EUR"}, new String[]{"Bluebird Travel Inc.", "USD"},
                new String[]{"Acme Software GmbH", "EUR"});
        List<String> advertisers = new ArrayList<>();
        for (String[] a : advertiserSeeds) {
            advertisers.add(create("/api/v1/advertisers", Map.of("name", a[0], "defaultCurrency", a[1])));
        }
        List<OfferSeed> offers = new ArrayList<>();
        offers.add(offer("Outdoor Jackets DE", advertisers.get(0), "EUR", "https://northwind.example/jackets?cid={click_id}",
                goal("lead", 150, 100), goal("sale", 1200, 800)));
        offers.add(offer("Hiking Boots", advertisers.get(0), "EUR", "https://northwind.example/boots?cid={click_id}",
                goal("sale", 900, 600)));
        offers.add(offer("City Breaks US", advertisers.get(1), "USD", "https://bluebird.example/city?cid={click_id}",
                goal("lead", 300, 200), goal("booking", 4500, 3000)));
        offers.add(offer("Beach Holidays", advertisers.get(1), "USD", "https://bluebird.example/beach?cid={click_id}",
                goal("booking", 6000, 4200)));
        offers.add(offer("Acme Cloud Trial", advertisers.get(2), "EUR", "https://acme.example/trial?cid={click_id}",
                goal("trial", 400, 250), goal("subscription", 3500, 2500)));
        offers.add(offer("Acme VPN", advertisers.get(2), "EUR", "https://acme.example/vpn?cid={click_id}",
                goal("subscription", 2000, 1400)));

        String[] names = {"Deal Blog", "Coupon Corner", "Travel Tips Daily", "Outdoor Weekly", "Tech Deals Hub", "Budget Backpacker",
            "Savvy Shopper", "Gadget Review Co", "Family Travel Mag", "Cashback Club", "Mobile Offers Net", "Nordic Media"};
        List<String> affiliates = new ArrayList<>();
        for (String name : names) {
            affiliates.add(create("/api/v1/affiliates", Map.of("name", name,
                    "email", name.toLowerCase().replaceAll("[^a-z]", "") + "@example.com", "status", "ACTIVE")));
        }
        List<LinkSeed> links = new ArrayList<>();
        for (int a = 0; a < affiliates.size(); a++) {
            for (int k = 0; k < 2; k++) {
                OfferSeed o = offers.get((a + k * 3) % offers.size());
                links.add(link(affiliates.get(a), List.of(o.id()), null, 0.6 + random.nextDouble() * 0.9));
            }
        }
        links.add(link(affiliates.get(0), List.of(offers.get(0).id(), offers.get(1).id()), "thompson-epc", 1.2));
        Map<String, OfferSeed> offerById = new LinkedHashMap<>();
        offers.forEach(o -> offerById.put(o.id(), o));

        Seeded seeded = new Seeded(
                send("POST", "/api/v1/keys", JSON.writeValueAsString(Map.of("role", "AFFILIATE", "affiliateId", affiliates.get(0),
                        "label", "demo affiliate portal"))).get("key").asText(), names[0],
                send("POST", "/api/v1/keys", JSON.writeValueAsString(Map.of("role", "ADVERTISER", "advertiserId", advertisers.get(0),
                        "label", "demo advertiser portal"))).get("key").asText(), advertiserSeeds.get(0)[0]);

        long events = history(links, offerById, historyDays);
        int[] today = today(links, offerById, token);
        log.info("Demo network: {} advertisers, {} offers, {} affiliates, {} links; {} history events, today {} clicks and {} conversions",
                advertisers.size(), offers.size(), affiliates.size(), links.size(), events, today[0], today[1]);
        return seeded;
    }

    // ------------------------------------------------------------------ the past: the events the tracking paths write

    private long history(List<LinkSeed> links, Map<String, OfferSeed> offers, int days) {
        LocalDate today = LocalDate.now(zone);
        List<DomainEventMessage<?>> batch = new ArrayList<>();
        String run = java.util.UUID.randomUUID().toString().substring(0, 8);
        long appended = 0;
        int n = 0;
        for (int d = days; d >= 1; d--) {
            LocalDate day = today.minusDays(d);
            // Weekends are busier, and the network grows a little over the month.
            double dayFactor = (day.getDayOfWeek().getValue() >= 6 ? 1.3 : 1.0) * (0.7 + 0.3 * (days - d) / (double) days);
            Instant start = day.atStartOfDay(zone).toInstant();
            for (LinkSeed link : links) {
                int clicks = (int) Math.round((6 + random.nextInt(18)) * link.quality() * dayFactor);
                for (int c = 0; c < clicks; c++) {
                    Instant at = start.plusSeconds(random.nextLong(86_400));
                    String offerId = link.offerIds().get(random.nextInt(link.offerIds().size()));
                    OfferSeed offer = offers.get(offerId);
                    // Unique across seeds (several demo tenants may share an event store, e.g. in tests).
                    String clickId = "demo" + run + Long.toString(at.toEpochMilli(), 36) + (n++);
                    int agent = random.nextInt(AGENTS.length);
                    ClickRecordedEvent click = new ClickRecordedEvent(TenantId.of(tenantId), clickId, link.id(), link.code(),
                            link.affiliateId(), 1, offerId, 1, offer.terms(), List.of(), subs(), at, AGENTS[agent], null,
                            DEVICES[agent], COUNTRIES[random.nextInt(COUNTRIES.length)], "demo-ip-" + random.nextInt(5000),
                            "203.0.113", ClickOutcome.OFFER, null, null, random.nextInt(5) != 0);
                    batch.add(new GenericDomainEventMessage<>(ClickRecordedEvent.AGGREGATE_TYPE, clickId, 0, click,
                            ClickMetaData.of(click)));
                    appended++;
                    if (random.nextDouble() < 0.06 * link.quality()) {
                        List<Goal> goals = offer.terms().goals();
                        Goal goal = goals.get(random.nextInt(goals.size()));
                        double roll = random.nextDouble();
                        ConversionStatus status = d <= 3 && roll < 0.3 ? ConversionStatus.PENDING
                                : roll < 0.05 ? ConversionStatus.REJECTED : ConversionStatus.APPROVED;
                        String currency = offer.terms().currency();
                        Instant convertedAt = at.plusSeconds(60 + random.nextInt(6 * 3600));
                        ConversionRecordedEvent conversion = new ConversionRecordedEvent(TenantId.of(tenantId), "cv_" + clickId, clickId,
                                offerId, link.affiliateId(), offer.terms().advertiserId(), goal.name(), "ord-" + clickId, status,
                                new Money(goal.revenue().value(), currency), new Money(goal.payout().value(), currency),
                                null, null, null, at, convertedAt, "s2s", null);
                        batch.add(new GenericDomainEventMessage<>(ClickRecordedEvent.AGGREGATE_TYPE, clickId, 1, conversion));
                        appended++;
                    }
                    if (batch.size() >= 2000) {
                        eventStore.publish(batch);
                        batch.clear();
                    }
                }
            }
        }
        if (!batch.isEmpty()) {
            eventStore.publish(batch);
        }
        return appended;
    }

    private Map<String, String> subs() {
        Map<String, String> subs = new LinkedHashMap<>();
        subs.put("sub1", new String[]{"newsletter", "sidebar", "review", "social"}[random.nextInt(4)]);
        if (random.nextBoolean()) {
            subs.put("source", new String[]{"google", "facebook", "email"}[random.nextInt(3)]);
        }
        return subs;
    }

    // ------------------------------------------------------------------ today: the real click and postback endpoints

    private int[] today(List<LinkSeed> links, Map<String, OfferSeed> offers, String token) throws IOException, InterruptedException {
        int clicks = 0;
        int conversions = 0;
        List<String> converted = new ArrayList<>();
        for (LinkSeed link : links) {
            int n = (int) Math.round((3 + random.nextInt(8)) * link.quality());
            for (int c = 0; c < n; c++) {
                int agent = random.nextInt(AGENTS.length);
                String sub = new String[]{"newsletter", "sidebar", "review"}[random.nextInt(3)];
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/c/" + link.code() + "?sub1=" + sub))
                        .header("User-Agent", AGENTS[agent])
                        .header("CF-IPCountry", COUNTRIES[random.nextInt(COUNTRIES.length)]).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 302) {
                    continue;
                }
                clicks++;
                String cookie = r.headers().firstValue("Set-Cookie").orElse("");
                if (!cookie.contains("=") || random.nextDouble() > 0.12 * link.quality()) {
                    continue;
                }
                String clickId = cookie.substring(cookie.indexOf('=') + 1, cookie.contains(";") ? cookie.indexOf(';') : cookie.length());
                String offerId = r.headers().firstValue("Location").map(l -> offerOf(l, offers)).orElse(link.offerIds().get(0));
                List<Goal> goals = offers.get(offerId).terms().goals();
                String txn = "today-" + clickId;
                HttpResponse<String> pb = http.send(HttpRequest.newBuilder(URI.create(base + "/postback?click_id=" + clickId + "&goal="
                        + goals.get(random.nextInt(goals.size())).name() + "&txn_id=" + txn + "&token=" + token)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (pb.statusCode() == 200) {
                    conversions++;
                    converted.add(clickId + "&txn_id=" + txn);
                }
            }
        }
        // One conversion the advertiser takes back (a refund): the same postback with status=reversed.
        if (!converted.isEmpty()) {
            http.send(HttpRequest.newBuilder(URI.create(base + "/postback?click_id=" + converted.get(0) + "&status=reversed&token=" + token))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        }
        return new int[]{clicks, conversions};
    }

    /** The offer a redirect went to, recognised by its landing page (a smart link picks one of several). */
    private static String offerOf(String location, Map<String, OfferSeed> offers) {
        return offers.entrySet().stream()
                .filter(e -> location.startsWith(e.getValue().terms().destinationUrl().replace("{click_id}", "")))
                .map(Map.Entry::getKey).findFirst().orElse(offers.keySet().iterator().next());
    }

    // ------------------------------------------------------------------ configuration through the REST API

    private static Goal goal(String name, long revenueMinor, long payoutMinor) {
        return new Goal(name, new Amount(Amount.Kind.FIXED, revenueMinor), new Amount(Amount.Kind.FIXED, payoutMinor));
    }

    private OfferSeed offer(String name, String advertiserId, String currency, String url, Goal... goals)
            throws IOException, InterruptedException {
        List<Map<String, Object>> goalBodies = new ArrayList<>();
        for (Goal g : goals) {
            goalBodies.add(Map.of("name", g.name(),
                    "revenue", Map.of("amount", decimal(g.revenue().value()), "currency", currency),
                    "payout", Map.of("amount", decimal(g.payout().value()), "currency", currency)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("advertiserId", advertiserId);
        body.put("destinationUrl", url);
        body.put("currency", currency);
        body.put("status", "ACTIVE");
        body.put("goals", goalBodies);
        body.put("caps", Map.of("daily", 500));
        String id = create("/api/v1/offers", body);
        return new OfferSeed(id, new OfferTerms(name, advertiserId, url, currency, OfferStatus.ACTIVE, List.of(goals),
                OfferTerms.DEFAULT_WINDOW_SECONDS, null, Set.of(), Set.of(), null, null));
    }

    private LinkSeed link(String affiliateId, List<String> offerIds, String policy, double quality)
            throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("affiliateId", affiliateId);
        body.put("offerIds", offerIds);
        if (policy != null) {
            body.put("policy", policy);
        }
        JsonNode issued = send("POST", "/api/v1/links", JSON.writeValueAsString(body));
        return new LinkSeed(issued.get("id").asText(), issued.get("code").asText(), affiliateId, offerIds, quality);
    }

    private static String decimal(long minor) {
        return java.math.BigDecimal.valueOf(minor, 2).toPlainString();
    }

    private String create(String path, Map<String, ?> body) throws IOException, InterruptedException {
        return send("POST", path, JSON.writeValueAsString(body)).get("id").asText();
    }

    private JsonNode send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminKey);
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IOException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
