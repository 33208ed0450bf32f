package io.affnet.platform.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.api.common.Role;
import io.affnet.platform.support.PlatformIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's and portals' GraphQL reads (config.graphqls, audit.graphqls): a tenant admin reads its advertisers,
 * offers, affiliates, links, a link's distribution, API keys (no secrets), postback endpoints, deliveries and audit
 * events with typed fields; another tenant's ids answer NOT_FOUND and never appear in a list; an affiliate key reads
 * only its own and no offer (so no revenue), an advertiser its own offers without payouts; bad arguments are GraphQL
 * errors (BAD_REQUEST or validation), never an internal error. BolaMatrixIT covers every role and side per field.
 */
class GraphQlConsoleReadsIT extends PlatformIT {

    static TenantFixture a;
    static TenantFixture b;

    @BeforeEach
    void tenants() {
        if (a == null) {
            a = TenantFixture.create(this, "gql-reads-a");
            b = TenantFixture.create(this, "gql-reads-b");
            PlatformIT.Response r = send("PUT", "/api/v1/affiliates/" + a.aff1 + "/postback", a.admin(),
                    "{\"templates\":[{\"url\":\"https://aff.example/pb?cid={click_id}&amount={payout}\"}]}");
            assertThat(r.status()).as(r.body()).isIn(200, 201);
        }
    }

    /** The data of an answer without errors (awaited: the views are filled by projections). */
    private JsonNode gqlData(String key, String query) {
        return gqlData(key, query, d -> {
        });
    }

    private static List<String> ids(JsonNode items, String field) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(i.path(field).asText()));
        return out;
    }

    @Test
    void aTenantAdminReadsItsConfigurationTyped() {
        JsonNode offer = gqlData(a.admin(), "{ offer(id: \"" + a.off1 + "\") { id version name advertiserId currency status "
                + "goals { name revenue { percent amount currency } payout { percent } } allowedCountries attributionWindowSeconds } }")
                .get("offer");
        assertThat(offer.get("id").asText()).isEqualTo(a.off1);
        assertThat(offer.get("version").isInt()).isTrue();
        assertThat(offer.get("advertiserId").asText()).isEqualTo(a.adv1);
        assertThat(offer.at("/goals/0/revenue/percent").asText()).isEqualTo("10");
        assertThat(offer.at("/goals/0/payout/percent").asText()).isEqualTo("7");
        assertThat(offer.get("attributionWindowSeconds").isNumber()).isTrue();

        JsonNode link = gqlData(a.admin(), "{ link(id: \"" + a.lnk1 + "\") { id code clickUrl affiliateId offerIds smart status policyParams { key value } } }")
                .get("link");
        assertThat(link.get("code").asText()).isEqualTo(a.code1);
        assertThat(link.get("clickUrl").asText()).contains(a.code1);
        assertThat(link.get("affiliateId").asText()).isEqualTo(a.aff1);
        assertThat(link.get("smart").asBoolean()).isFalse();

        JsonNode affiliate = gqlData(a.admin(), "{ affiliate(id: \"" + a.aff1 + "\") { id name email status payoutOverrides { offerId } } }")
                .get("affiliate");
        assertThat(affiliate.get("email").asText()).isEqualTo("aff@example.com");
        assertThat(gqlData(a.admin(), "{ advertiser(id: \"" + a.adv1 + "\") { name defaultCurrency postbackIpAllowlist } }")
                .at("/advertiser/name").asText()).isEqualTo("Adv one");

        // Pages: first/after walk the list by id, as REST's limit/after do.
        JsonNode page1 = gqlData(a.admin(), "{ advertisers(first: 1) { items { id } next } }").get("advertisers");
        assertThat(page1.get("items")).hasSize(1);
        String next = page1.get("next").asText();
        JsonNode page2 = gqlData(a.admin(), "{ advertisers(first: 1, after: \"" + next + "\") { items { id } next } }").get("advertisers");
        List<String> both = new ArrayList<>(ids(page1.get("items"), "id"));
        both.addAll(ids(page2.get("items"), "id"));
        assertThat(both).containsExactlyInAnyOrder(a.adv1, a.adv2);

        gqlData(a.admin(), "{ offers(first: 200) { items { id } } links(first: 200) { items { id } } "
                + "affiliates(first: 200) { items { id } } }", all -> {
            assertThat(ids(all.at("/offers/items"), "id")).contains(a.off1, a.off2).doesNotContain(b.off1, b.off2);
            assertThat(ids(all.at("/links/items"), "id")).contains(a.lnk1, a.lnk2).doesNotContain(b.lnk1, b.lnk2);
            assertThat(ids(all.at("/affiliates/items"), "id")).contains(a.aff1, a.aff2).doesNotContain(b.aff1, b.aff2);
        });

        // A one-offer link sends all its traffic to its offer.
        JsonNode distribution = gqlData(a.admin(), "{ linkDistribution(linkId: \"" + a.lnk1 + "\") { linkId policy asOf "
                + "overall { offerId probability clicks epc } } }").get("linkDistribution");
        assertThat(distribution.at("/overall/0/offerId").asText()).isEqualTo(a.off1);
        assertThat(distribution.at("/overall/0/probability").asDouble()).isEqualTo(1.0);
    }

    @Test
    void keysEndpointsDeliveriesAndAuditEventsShowNoSecretAndStayInTheTenant() {
        Response keys = gqlPost(a.admin(), "{ apiKeys(first: 200) { items { keyId keyPrefix principalId role active createdAt } next } }");
        assertThat(keys.status()).isEqualTo(200);
        assertThat(ids(keys.json().at("/data/apiKeys/items"), "keyId")).contains(a.adminKeyId).doesNotContain(b.adminKeyId);
        a.secrets.forEach(secret -> assertThat(keys.body()).doesNotContain(secret));

        JsonNode endpoint = gqlData(a.admin(), "{ affiliatePostback(affiliateId: \"" + a.aff1 + "\") { affiliateId version "
                + "templates { url } paused consecutiveFailures secretPrefix } }").get("affiliatePostback");
        assertThat(endpoint.at("/templates/0/url").asText()).startsWith("https://aff.example/pb");
        assertThat(endpoint.get("consecutiveFailures").isInt()).isTrue();
        JsonNode deliveries = gqlData(a.admin(), "{ postbackDeliveries(affiliateId: \"" + a.aff1 + "\", first: 5) { items { seq } next } }")
                .get("postbackDeliveries");
        assertThat(deliveries.get("items").isArray()).isTrue();

        gqlData(a.admin(), "{ auditEvents(types: [\"OfferCreatedEvent\"], first: 100) { tenantId "
                + "items { type aggregateId payload actor { via } chain { seq } } next } }", d -> {
            JsonNode events = d.get("auditEvents");
            assertThat(events.get("tenantId").asText()).isEqualTo(a.tenantId);
            assertThat(ids(events.get("items"), "aggregateId")).contains(a.off1, a.off2).doesNotContain(b.off1);
            assertThat(ids(events.get("items"), "type")).containsOnly("OfferCreatedEvent");
        });

        // Postback settings: tokens by id and prefix, never the token itself; only this tenant's.
        Response settings = gqlPost(a.admin(), "{ postbackSettings { statusMap { word status } defaultStatus "
                + "fraud { minSecondsToConvert maxConversionsPerClickGoal selfReferral } review { holdAbove offerHoldAbove { offerId } } "
                + "tokens { tokenId prefix advertiserId issuedAt revokedAt } unauthorizedAttempts forbiddenAttempts } }");
        assertThat(settings.json().path("errors").isMissingNode()).as(settings.body()).isTrue();
        JsonNode s = settings.json().at("/data/postbackSettings");
        assertThat(ids(s.get("tokens"), "tokenId")).contains(a.tokenId).doesNotContain(b.tokenId);
        assertThat(s.at("/fraud/maxConversionsPerClickGoal").isInt()).isTrue();
        assertThat(s.get("unauthorizedAttempts").isNumber()).isTrue();
        assertThat(settings.body()).doesNotContain(a.token).doesNotContain(b.token);

        // Another tenant's ids: NOT_FOUND, like a missing one (they are there: tenant B's admin reads them).
        gqlData(b.admin(), "{ offer(id: \"" + b.off1 + "\") { id } link(id: \"" + b.lnk1 + "\") { id } "
                + "affiliate(id: \"" + b.aff1 + "\") { id } advertiser(id: \"" + b.adv1 + "\") { id } }");
        for (String query : List.of("{ advertiser(id: \"" + b.adv1 + "\") { id } }", "{ offer(id: \"" + b.off1 + "\") { id } }",
                "{ affiliate(id: \"" + b.aff1 + "\") { id } }", "{ link(id: \"" + b.lnk1 + "\") { id } }",
                "{ linkDistribution(linkId: \"" + b.lnk1 + "\") { linkId } }",
                "{ affiliatePostback(affiliateId: \"" + b.aff1 + "\") { affiliateId } }",
                "{ postbackDeliveries(affiliateId: \"" + b.aff1 + "\") { next } }",
                "{ auditEvents(tenantId: \"" + b.tenantId + "\") { tenantId } }")) {
            assertThat(gqlError(a.admin(), query)).as(query).isEqualTo("NOT_FOUND");
        }
    }

    @Test
    void anAffiliateSeesOnlyItsOwnAndNoOfferAnAdvertiserNoPayouts() {
        String aff = a.keys.get(Role.AFFILIATE);
        gqlData(aff, "{ affiliate(id: \"" + a.aff1 + "\") { id } links(first: 200) { items { id affiliateId } } "
                + "affiliates { items { id } } affiliatePostback(affiliateId: \"" + a.aff1 + "\") { affiliateId } }", own -> {
            assertThat(ids(own.at("/links/items"), "id")).containsExactly(a.lnk1);
            assertThat(ids(own.at("/affiliates/items"), "id")).containsExactly(a.aff1);
        });
        assertThat(gqlError(aff, "{ affiliate(id: \"" + a.aff2 + "\") { id } }")).isEqualTo("NOT_FOUND");
        assertThat(gqlError(aff, "{ link(id: \"" + a.lnk2 + "\") { id } }")).isEqualTo("NOT_FOUND");
        assertThat(gqlError(aff, "{ affiliatePostback(affiliateId: \"" + a.aff2 + "\") { affiliateId } }")).isEqualTo("NOT_FOUND");
        // Offers carry the advertiser's revenue: an affiliate key may not read them at all (as over REST).
        assertThat(gqlError(aff, "{ offer(id: \"" + a.off1 + "\") { goals { revenue { percent } } } }")).isEqualTo("FORBIDDEN");
        assertThat(gqlError(aff, "{ offers { items { id } } }")).isEqualTo("FORBIDDEN");
        for (String staffOnly : List.of("{ linkDistribution(linkId: \"" + a.lnk1 + "\") { linkId } }", "{ apiKeys { next } }",
                "{ auditEvents { tenantId } }", "{ advertisers { next } }", "{ postbackSettings { defaultStatus } }")) {
            assertThat(gqlError(aff, staffOnly)).as(staffOnly).isEqualTo("FORBIDDEN");
        }

        String adv = a.keys.get(Role.ADVERTISER);
        JsonNode offer = gqlData(adv, "{ offer(id: \"" + a.off1 + "\") { id goals { name revenue { percent } payout { percent } } } }")
                .get("offer");
        assertThat(offer.at("/goals/0/revenue/percent").asText()).isEqualTo("10");
        assertThat(offer.at("/goals/0/payout").isNull()).as(offer.toString()).isTrue();
        // REST answers the same (GraphQL is answered by REST's code): payout and revenue together would be the margin.
        Response restOffer = send("GET", "/api/v1/offers/" + a.off1, adv, null);
        assertThat(restOffer.status()).as(restOffer.body()).isEqualTo(200);
        assertThat(restOffer.json().at("/goals/0/revenue").isMissingNode()).isFalse();
        assertThat(restOffer.json().at("/goals/0/payout").isNull()).as(restOffer.body()).isTrue();
        Response restOffers = send("GET", "/api/v1/offers", adv, null);
        assertThat(restOffers.json().at("/items/0/goals/0/payout").isNull()).as(restOffers.body()).isTrue();
        assertThat(send("GET", "/api/v1/offers/" + a.off1, a.admin(), null).json().at("/goals/0/payout/percent").asText())
                .as("staff see it").isEqualTo("7");
        gqlData(adv, "{ offers(first: 200) { items { id } } }",
                d -> assertThat(ids(d.at("/offers/items"), "id")).containsExactly(a.off1));
        assertThat(gqlError(adv, "{ offer(id: \"" + a.off2 + "\") { id } }")).isEqualTo("NOT_FOUND");
        assertThat(gqlError(adv, "{ affiliates { next } }")).isEqualTo("FORBIDDEN");
    }

    @Test
    void badArgumentsAreGraphQlErrorsNotInternalOnes() {
        String admin = a.admin();
        for (String query : List.of("{ advertisers(first: 0) { next } }", "{ offers(first: 201) { next } }",
                "{ links(after: \"" + "x".repeat(65) + "\") { next } }", "{ apiKeys(first: -1) { next } }",
                "{ postbackDeliveries(affiliateId: \"" + a.aff1 + "\", after: \"not-a-cursor\") { next } }",
                "{ postbackDeliveries(affiliateId: \"" + a.aff1 + "\", first: 100000) { next } }",
                "{ auditEvents(from: \"yesterday\") { next } }", "{ auditEvents(first: 0) { next } }",
                "{ auditEvents(after: \"-5\") { next } }", "{ auditEvents(types: [\"no spaces\"]) { next } }")) {
            assertThat(gqlError(admin, query)).as(query).isEqualTo("BAD_REQUEST");
        }
        // Arguments of the wrong type never reach a resolver: graphql-java's validation answers.
        assertThat(gqlError(admin, "{ advertisers(first: \"ten\") { next } }")).isEqualTo("ValidationError");
        assertThat(gqlError(admin, "{ offer { id } }")).isEqualTo("ValidationError");
        // The operator must name the tenant of an audit read.
        assertThat(gqlError(OPERATOR_KEY, "{ auditEvents { tenantId } }")).isEqualTo("BAD_REQUEST");
        assertThat(gqlError(OPERATOR_KEY, "{ offers { next } }")).isEqualTo("FORBIDDEN");
    }
}
