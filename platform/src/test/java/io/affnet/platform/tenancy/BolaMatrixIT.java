package io.affnet.platform.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import io.affnet.api.common.Role;
import io.affnet.platform.support.PlatformIT;
import io.affnet.web.auth.AccessInterceptor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The BOLA matrix: for every route of the OpenAPI document and every root GraphQL field, every role of
 * tenant A is sent against A's own objects, against objects of A that are not the caller's (another
 * affiliate's link, another advertiser's offer) and against tenant B's objects, and each answer is
 * compared with the cell of {@link #TABLE} (a subscription through GraphQL over SSE, its first push as the answer). Every 2xx answer to a tenant caller is also searched for
 * tenant B's ids and for any secret issued so far: none may appear. A route or field without a row
 * fails the build.
 *
 * <p>Adding a route: add one line to {@link #TABLE} with {@code rest(route, concretePath, body, own,
 * sibling, foreign)}. {@code route} is "METHOD /path" exactly as in {@code /v3/api-docs}; the concrete
 * path and body may use the placeholders of {@link #resolve}. Each expectation lists the status for
 * the roles in {@link #ROLES} order (OPERATOR ADMIN ANALYST AFFILIATE ADVERTISER AUDITOR).
 */
class BolaMatrixIT extends PlatformIT {

    static final List<Role> ROLES = List.of(Role.OPERATOR, Role.TENANT_ADMIN, Role.TENANT_ANALYST, Role.AFFILIATE,
            Role.ADVERTISER, Role.AUDITOR);

    enum Side { OWN, SIBLING, FOREIGN }

    /** One line of the matrix. {@code graphql} set: a GraphQL root field ("Query.x") with its query. */
    record Row(String route, String path, String body, String graphql, Map<Side, int[]> expected, boolean open) {
    }

    // Columns:                                     OPER ADMIN ANALYST AFF ADV AUDIT
    static final String ADMIN_OK_200 = /*        */ "403 200   403     403 403 403";
    static final String ADMIN_OK_201 = /*        */ "403 201   403     403 403 403";
    static final String ADMIN_OK_204 = /*        */ "403 204   403     403 403 403";
    static final String ADMIN_404 = /*           */ "403 404   403     403 403 403";
    static final String ADMIN_400 = /*           */ "403 400   403     403 403 403";
    static final String OPERATOR_OK_200 = /*     */ "200 403   403     403 403 403";
    static final String OPERATOR_OK_201 = /*     */ "201 403   403     403 403 403";
    static final String ADV_READ_OWN = /*        */ "403 200   200     403 200 200";
    static final String ADV_READ_SIBLING = /*    */ "403 200   200     403 404 200";
    static final String ADV_READ_FOREIGN = /*    */ "403 404   404     403 404 404";
    static final String AFF_READ_OWN = /*        */ "403 200   200     200 403 200";
    static final String AFF_READ_SIBLING = /*    */ "403 200   200     404 403 200";
    static final String AFF_READ_FOREIGN = /*    */ "403 404   404     404 403 404";
    static final String EVERYONE_200 = /*        */ "200 200   200     200 200 200";
    static final String TENANT_FOREIGN_404 = /*  */ "200 404   404     404 404 404";
    static final String KEYS_READ = /*           */ "403 200   403     403 403 200";
    static final String STAFF_READ = /*          */ "403 200   200     403 403 200";
    static final String STAFF_404 = /*           */ "403 404   404     403 403 404";
    static final String BALANCE_OWN = /*         */ "403 200   200     200 403 200";
    static final String BALANCE_SIBLING = /*     */ "403 200   200     404 403 200";
    static final String BALANCE_FOREIGN = /*     */ "403 404   404     404 403 404";
    static final String REPORT_READ = /*         */ "403 200   200     200 200 200";
    static final String OPERATOR_404 = /*        */ "404 403   403     403 403 403";
    static final String PAYOUT_404 = /*          */ "403 404   404     404 403 404";
    static final String AUDIT_READ = /*          */ "200 200   403     403 403 200";
    static final String AUDIT_FOREIGN = /*       */ "200 404   403     403 403 404";
    static final String AUDIT_SIGN = /*          */ "201 201   403     403 403 403";
    static final String AUDIT_SIGN_FOREIGN = /*  */ "201 404   403     403 403 403";
    static final String SAVE_OWN = /*           */ "403 201   201     201 201 201";
    static final String DELETE_ADMINS_OWN = /*  */ "403 204   404     404 404 404";
    static final String DELETE_FOREIGN = /*     */ "403 404   404     404 404 404";
    static final String LIVE_READ = /*          */ "403 200   200     200 200 200";

    static final String OFFER = "{\"name\":\"Offer\",\"advertiserId\":\"{adv}\",\"destinationUrl\":\"https://shop.example/?cid={click_id}\","
            + "\"currency\":\"EUR\",\"status\":\"ACTIVE\",\"goals\":[{\"name\":\"sale\",\"revenue\":{\"percent\":\"10\"},"
            + "\"payout\":{\"percent\":\"7\"}}]}";
    static final String ADVERTISER = "{\"name\":\"Adv\",\"defaultCurrency\":\"EUR\"}";
    static final String AFFILIATE = TenantFixture.affiliateJson();
    static final String ENDPOINT = "{\"templates\":[{\"url\":\"https://aff.example/pb?cid={click_id}&amount={payout}\"}]}";
    static final String LINK = "{\"affiliateId\":\"{aff}\",\"offerIds\":[\"{off}\"],\"status\":\"ACTIVE\"}";

    /** The matrix, in execution order (a suspend is followed by its reactivate). */
    static final List<Row> TABLE = List.of(
            rest("POST /api/v1/tenants", null, "{\"slug\":\"{slug}\",\"name\":\"Matrix\"}", OPERATOR_OK_201, OPERATOR_OK_201, OPERATOR_OK_201),
            rest("GET /api/v1/tenants/{id}", "/api/v1/tenants/{tenant}", null, EVERYONE_200, EVERYONE_200, TENANT_FOREIGN_404),
            rest("POST /api/v1/tenants/{id}/suspend", "/api/v1/tenants/{freshTenant}/suspend", "{\"reason\":\"matrix\"}",
                    OPERATOR_OK_200, OPERATOR_OK_200, OPERATOR_OK_200),
            rest("POST /api/v1/tenants/{id}/reactivate", "/api/v1/tenants/{freshTenant}/reactivate", null,
                    OPERATOR_OK_200, OPERATOR_OK_200, OPERATOR_OK_200),

            rest("POST /api/v1/keys", null, "{\"role\":\"AFFILIATE\",\"affiliateId\":\"{aff}\"}", ADMIN_OK_201, ADMIN_OK_201, ADMIN_400),
            rest("GET /api/v1/keys", null, null, KEYS_READ, KEYS_READ, KEYS_READ),
            rest("POST /api/v1/keys/{id}/rotate", "/api/v1/keys/{freshKey}/rotate?overlapSeconds=0", null, ADMIN_OK_201, ADMIN_OK_201, ADMIN_404),
            rest("DELETE /api/v1/keys/{id}", "/api/v1/keys/{freshKey}", null, ADMIN_OK_204, ADMIN_OK_204, ADMIN_404),

            rest("POST /api/v1/postback-tokens", null, null, ADMIN_OK_201, ADMIN_OK_201, ADMIN_OK_201),
            rest("DELETE /api/v1/postback-tokens/{id}", "/api/v1/postback-tokens/{freshToken}", null, ADMIN_OK_204, ADMIN_OK_204, ADMIN_404),
            rest("PUT /api/v1/postback-settings", null, "{\"defaultStatus\":\"PENDING\"}", ADMIN_OK_200, ADMIN_OK_200, ADMIN_OK_200),

            rest("POST /api/v1/advertisers", null, ADVERTISER, ADMIN_OK_201, ADMIN_OK_201, ADMIN_OK_201),
            rest("PUT /api/v1/advertisers/{id}", "/api/v1/advertisers/{adv}", ADVERTISER, ADMIN_OK_200, ADMIN_OK_200, ADMIN_404),
            rest("POST /api/v1/offers", null, OFFER, ADMIN_OK_201, ADMIN_OK_201, ADMIN_400),
            rest("PUT /api/v1/offers/{id}", "/api/v1/offers/{off}", OFFER, ADMIN_OK_200, ADMIN_OK_200, ADMIN_404),
            rest("PUT /api/v1/offers/{id}/pixel", "/api/v1/offers/{off}/pixel", "{\"enabled\":false}", ADMIN_OK_200, ADMIN_OK_200, ADMIN_404),
            rest("POST /api/v1/offers/{id}/pause", "/api/v1/offers/{off}/pause", null, ADMIN_OK_200, ADMIN_OK_200, ADMIN_404),
            rest("POST /api/v1/offers/{id}/resume", "/api/v1/offers/{off}/resume", null, ADMIN_OK_200, ADMIN_OK_200, ADMIN_404),
            rest("POST /api/v1/affiliates", null, AFFILIATE, ADMIN_OK_201, ADMIN_OK_201, ADMIN_OK_201),
            rest("PUT /api/v1/affiliates/{id}", "/api/v1/affiliates/{aff}", AFFILIATE, ADMIN_OK_200, ADMIN_OK_200, ADMIN_404),
            rest("POST /api/v1/affiliates/{id}/suspend", "/api/v1/affiliates/{aff}/suspend", null, ADMIN_OK_200, ADMIN_OK_200, ADMIN_404),
            rest("POST /api/v1/affiliates/{id}/reactivate", "/api/v1/affiliates/{aff}/reactivate", null, ADMIN_OK_200, ADMIN_OK_200, ADMIN_404),
            rest("POST /api/v1/links", null, LINK, ADMIN_OK_201, ADMIN_OK_201, ADMIN_400),
            rest("PUT /api/v1/links/{id}", "/api/v1/links/{lnk}", LINK, ADMIN_OK_200, ADMIN_OK_200, ADMIN_404),

            // Outbound postbacks (branch outbound): the endpoint row runs first, the others need the endpoint.
            rest("PUT /api/v1/affiliates/{id}/postback", "/api/v1/affiliates/{aff}/postback", ENDPOINT, ADMIN_OK_201, ADMIN_OK_201, ADMIN_404),
            rest("GET /api/v1/affiliates/{id}/postback", "/api/v1/affiliates/{aff}/postback", null, AFF_READ_OWN, AFF_READ_SIBLING, AFF_READ_FOREIGN),
            rest("POST /api/v1/affiliates/{id}/postback/secret", "/api/v1/affiliates/{aff}/postback/secret", null, ADMIN_OK_201, ADMIN_OK_201, ADMIN_404),
            rest("POST /api/v1/affiliates/{id}/postback/resume", "/api/v1/affiliates/{aff}/postback/resume", null, ADMIN_OK_204, ADMIN_OK_204, ADMIN_404),
            rest("POST /api/v1/affiliates/{id}/postback/test", "/api/v1/affiliates/{aff}/postback/test", null, ADMIN_OK_200, ADMIN_OK_200, ADMIN_404),
            rest("POST /api/v1/affiliates/{id}/postback-deliveries/{deliveryId}/redeliver",
                    "/api/v1/affiliates/{aff}/postback-deliveries/dlv_missing/redeliver", null, ADMIN_404, ADMIN_404, ADMIN_404),
            rest("POST /api/v1/affiliates/{id}/postback-deliveries/redeliver-dead",
                    "/api/v1/affiliates/{aff}/postback-deliveries/redeliver-dead", null, ADMIN_OK_200, ADMIN_OK_200, ADMIN_404),
            rest("GET /api/v1/affiliates/{id}/postback-deliveries", "/api/v1/affiliates/{aff}/postback-deliveries", null, AFF_READ_OWN, AFF_READ_SIBLING, AFF_READ_FOREIGN),
            rest("GET /api/v1/conversions/{id}/postback-deliveries", "/api/v1/conversions/cv_missing/postback-deliveries", null, STAFF_404, STAFF_404, STAFF_404),
            rest("PUT /api/v1/outbound-settings", null, "{\"allowPrivateTargets\":false}", ADMIN_OK_200, ADMIN_OK_200, ADMIN_OK_200),
            rest("GET /api/v1/outbound-settings", null, null, STAFF_READ, STAFF_READ, STAFF_READ),
            rest("GET /api/v1/postback-settings", null, null, STAFF_READ, STAFF_READ, STAFF_READ),
            rest("POST /api/v1/advertisers/{advertiserId}/postback-tokens", "/api/v1/advertisers/{adv}/postback-tokens", null,
                    ADMIN_OK_201, ADMIN_OK_201, ADMIN_404),
            rest("PUT /api/v1/tracking-domains", null, "{\"hosts\":[]}", ADMIN_OK_200, ADMIN_OK_200, ADMIN_OK_200),
            rest("GET /api/v1/tracking-domains", null, null, STAFF_READ, STAFF_READ, STAFF_READ),
            // Payout processor credentials (branch payouts-processors): tenant-scoped, never echoed.
            rest("PUT /api/v1/payout-processors/{processor}", "/api/v1/payout-processors/stripe",
                    "{\"apiBase\":\"https://api.stripe.com\",\"key\":\"sk_test_matrix_0123456789\",\"webhookSecret\":\"whsec_matrix_0123456789\"}",
                    ADMIN_OK_200, ADMIN_OK_200, ADMIN_OK_200),
            rest("GET /api/v1/payout-processors", null, null, KEYS_READ, KEYS_READ, KEYS_READ),
            rest("GET /api/v1/affiliates/{id}/balance", "/api/v1/affiliates/{aff}/balance", null, BALANCE_OWN, BALANCE_SIBLING, BALANCE_FOREIGN),

            // Payouts (branch payouts-core). No processor adapter is assumed here: the method row is a bad destination.
            rest("PUT /api/v1/payout-terms", null, "{\"defaultHold\":\"P30D\"}", ADMIN_OK_200, ADMIN_OK_200, ADMIN_OK_200),
            rest("GET /api/v1/payout-terms", null, null, STAFF_READ, STAFF_READ, STAFF_READ),
            rest("POST /api/v1/affiliates/{id}/payout-methods", "/api/v1/affiliates/{aff}/payout-methods",
                    "{\"processor\":\"STRIPE\",\"destination\":\"not-an-account\",\"currency\":\"EUR\",\"country\":\"DE\"}",
                    ADMIN_400, ADMIN_400, ADMIN_404),
            rest("POST /api/v1/affiliates/{id}/payout-methods/{methodId}/confirm",
                    "/api/v1/affiliates/{aff}/payout-methods/pm_missing/confirm", null, ADMIN_404, ADMIN_404, ADMIN_404),
            rest("GET /api/v1/affiliates/{id}/payout-methods", "/api/v1/affiliates/{aff}/payout-methods", null,
                    BALANCE_OWN, BALANCE_SIBLING, BALANCE_FOREIGN),
            rest("GET /api/v1/affiliates/{id}/ledger/balances", "/api/v1/affiliates/{aff}/ledger/balances", null,
                    BALANCE_OWN, BALANCE_SIBLING, BALANCE_FOREIGN),
            rest("GET /api/v1/affiliates/{id}/ledger/entries", "/api/v1/affiliates/{aff}/ledger/entries", null,
                    BALANCE_OWN, BALANCE_SIBLING, BALANCE_FOREIGN),
            rest("GET /api/v1/affiliates/{id}/payouts", "/api/v1/affiliates/{aff}/payouts", null,
                    BALANCE_OWN, BALANCE_SIBLING, BALANCE_FOREIGN),
            rest("GET /api/v1/affiliates/{id}/statements", "/api/v1/affiliates/{aff}/statements?from=2026-01-01&to=2026-01-31",
                    null, BALANCE_OWN, BALANCE_SIBLING, BALANCE_FOREIGN),
            rest("GET /api/v1/ledger/balances", null, null, STAFF_READ, STAFF_READ, STAFF_READ),
            rest("POST /api/v1/payout-runs", null, "{\"from\":\"2026-01-01\",\"to\":\"2026-01-31\"}",
                    ADMIN_OK_201, ADMIN_OK_201, ADMIN_OK_201),
            rest("POST /api/v1/payout-runs/{id}/approve", "/api/v1/payout-runs/run_missing/approve", null, ADMIN_404, ADMIN_404, ADMIN_404),
            rest("POST /api/v1/payout-runs/{id}/cancel", "/api/v1/payout-runs/run_missing/cancel", null, ADMIN_404, ADMIN_404, ADMIN_404),
            rest("GET /api/v1/payout-runs", null, null, STAFF_READ, STAFF_READ, STAFF_READ),
            rest("GET /api/v1/payout-runs/{id}", "/api/v1/payout-runs/run_missing", null, STAFF_404, STAFF_404, STAFF_404),
            rest("GET /api/v1/payouts/{id}", "/api/v1/payouts/payout_missing", null, PAYOUT_404, PAYOUT_404, PAYOUT_404),
            // Payout notifications and GraphQL reads (branch payouts). The webhook row is refused (not https/http); the
            // tenant then has no payout endpoint, so its secret and resume rows are 404s.
            rest("PUT /api/v1/payout-webhook", null, "{\"url\":\"ftp://ops.example/payouts\"}", ADMIN_400, ADMIN_400, ADMIN_400),
            rest("GET /api/v1/payout-webhook", null, null, ADMIN_404, ADMIN_404, ADMIN_404),
            rest("POST /api/v1/payout-webhook/secret", null, null, ADMIN_404, ADMIN_404, ADMIN_404),
            rest("POST /api/v1/payout-webhook/resume", null, null, ADMIN_404, ADMIN_404, ADMIN_404),
            graphql("Query.payoutWebhook", "{ payoutWebhook { url secretPrefix paused } }", ADMIN_404, ADMIN_404, ADMIN_404),
            graphql("Query.ledgerBalances", "{ ledgerBalances(affiliateId: \\\"{aff}\\\") { affiliateId } }",
                    BALANCE_OWN, BALANCE_SIBLING, BALANCE_FOREIGN),
            graphql("Query.ledgerEntries", "{ ledgerEntries(affiliateId: \\\"{aff}\\\") { next } }",
                    BALANCE_OWN, BALANCE_SIBLING, BALANCE_FOREIGN),
            graphql("Query.payoutMethods", "{ payoutMethods(affiliateId: \\\"{aff}\\\") { methodId } }",
                    BALANCE_OWN, BALANCE_SIBLING, BALANCE_FOREIGN),
            graphql("Query.payouts", "{ payouts(affiliateId: \\\"{aff}\\\") { payoutId } }",
                    BALANCE_OWN, BALANCE_SIBLING, BALANCE_FOREIGN),
            graphql("Query.statement", "{ statement(affiliateId: \\\"{aff}\\\", from: \\\"2026-01-01\\\", to: \\\"2026-01-31\\\") { affiliateId } }",
                    BALANCE_OWN, BALANCE_SIBLING, BALANCE_FOREIGN),
            graphql("Query.payout", "{ payout(id: \\\"payout_missing\\\") { payoutId } }", PAYOUT_404, PAYOUT_404, PAYOUT_404),
            graphql("Query.payoutRuns", "{ payoutRuns { runId } }", STAFF_READ, STAFF_READ, STAFF_READ),
            graphql("Query.payoutRun", "{ payoutRun(id: \\\"run_missing\\\") { run { runId } } }", STAFF_404, STAFF_404, STAFF_404),
            graphql("Query.tenantLedgerBalances", "{ tenantLedgerBalances { asOf } }", STAFF_READ, STAFF_READ, STAFF_READ),
            rest("GET /api/v1/links/{id}/distribution", "/api/v1/links/{lnk}/distribution", null, STAFF_READ, STAFF_READ, STAFF_404),

            rest("GET /api/v1/{kind}/{id}", "/api/v1/advertisers/{adv}", null, ADV_READ_OWN, ADV_READ_SIBLING, ADV_READ_FOREIGN),
            rest("GET /api/v1/{kind}/{id}", "/api/v1/offers/{off}", null, ADV_READ_OWN, ADV_READ_SIBLING, ADV_READ_FOREIGN),
            rest("GET /api/v1/{kind}/{id}", "/api/v1/affiliates/{aff}", null, AFF_READ_OWN, AFF_READ_SIBLING, AFF_READ_FOREIGN),
            rest("GET /api/v1/{kind}/{id}", "/api/v1/links/{lnk}", null, AFF_READ_OWN, AFF_READ_SIBLING, AFF_READ_FOREIGN),
            rest("GET /api/v1/{kind}", "/api/v1/advertisers", null, ADV_READ_OWN, ADV_READ_OWN, ADV_READ_OWN),
            rest("GET /api/v1/{kind}", "/api/v1/offers?limit=200", null, ADV_READ_OWN, ADV_READ_OWN, ADV_READ_OWN),
            rest("GET /api/v1/{kind}", "/api/v1/affiliates", null, AFF_READ_OWN, AFF_READ_OWN, AFF_READ_OWN),
            rest("GET /api/v1/{kind}", "/api/v1/links?limit=200", null, AFF_READ_OWN, AFF_READ_OWN, AFF_READ_OWN),
            // The same reads through GraphQL (config.graphqls): the REST controllers answer, so the cells are REST's.
            graphql("Query.advertiser", "{ advertiser(id: \\\"{adv}\\\") { id name } }", ADV_READ_OWN, ADV_READ_SIBLING, ADV_READ_FOREIGN),
            graphql("Query.offer", "{ offer(id: \\\"{off}\\\") { id goals { revenue { percent } payout { percent } } } }",
                    ADV_READ_OWN, ADV_READ_SIBLING, ADV_READ_FOREIGN),
            graphql("Query.affiliate", "{ affiliate(id: \\\"{aff}\\\") { id name email } }", AFF_READ_OWN, AFF_READ_SIBLING, AFF_READ_FOREIGN),
            graphql("Query.link", "{ link(id: \\\"{lnk}\\\") { id code clickUrl offerIds } }", AFF_READ_OWN, AFF_READ_SIBLING, AFF_READ_FOREIGN),
            graphql("Query.advertisers", "{ advertisers(first: 200) { items { id name } next } }", ADV_READ_OWN, ADV_READ_OWN, ADV_READ_OWN),
            graphql("Query.offers", "{ offers(first: 200) { items { id advertiserId } next } }", ADV_READ_OWN, ADV_READ_OWN, ADV_READ_OWN),
            graphql("Query.affiliates", "{ affiliates(first: 200) { items { id email } next } }", AFF_READ_OWN, AFF_READ_OWN, AFF_READ_OWN),
            graphql("Query.links", "{ links(first: 200) { items { id code affiliateId } next } }", AFF_READ_OWN, AFF_READ_OWN, AFF_READ_OWN),
            graphql("Query.linkDistribution", "{ linkDistribution(linkId: \\\"{lnk}\\\") { linkId overall { offerId probability } } }",
                    STAFF_READ, STAFF_READ, STAFF_404),
            graphql("Query.apiKeys", "{ apiKeys(first: 200) { items { keyId keyPrefix principalId role } next } }", KEYS_READ, KEYS_READ, KEYS_READ),
            graphql("Query.affiliatePostback", "{ affiliatePostback(affiliateId: \\\"{aff}\\\") { affiliateId templates { url } secretPrefix } }",
                    AFF_READ_OWN, AFF_READ_SIBLING, AFF_READ_FOREIGN),
            graphql("Query.postbackDeliveries", "{ postbackDeliveries(affiliateId: \\\"{aff}\\\") { items { deliveryId url } next } }",
                    AFF_READ_OWN, AFF_READ_SIBLING, AFF_READ_FOREIGN),
            graphql("Query.postbackSettings", "{ postbackSettings { defaultStatus tokens { tokenId prefix } fraud { minSecondsToConvert } } }",
                    STAFF_READ, STAFF_READ, STAFF_READ),
            graphql("Query.conversionPostbackDeliveries", "{ conversionPostbackDeliveries(conversionId: \\\"cv_missing\\\") { next } }",
                    STAFF_404, STAFF_404, STAFF_404),

            rest("GET /api/v1/reports", "/api/v1/reports?metrics=clicks,conversions&groupBy=day,offer&from=2026-01-01&to=2026-02-01",
                    null, REPORT_READ, REPORT_READ, REPORT_READ),
            rest("GET /api/v1/reports/conversions", "/api/v1/reports/conversions", null, REPORT_READ, REPORT_READ, REPORT_READ),
            rest("GET /api/v1/reports/fields", "/api/v1/reports/fields", null, REPORT_READ, REPORT_READ, REPORT_READ),
            rest("GET /api/v1/me", "/api/v1/me", null, REPORT_READ, REPORT_READ, REPORT_READ),
            rest("GET /api/v1/directory", "/api/v1/directory", null, REPORT_READ, REPORT_READ, REPORT_READ),
            rest("GET /api/v1/reports/sharing", "/api/v1/reports/sharing", null, STAFF_READ, STAFF_READ, STAFF_READ),
            rest("PUT /api/v1/report-sharing", null, "{\"advertisersSeeAffiliates\":false}", ADMIN_OK_200, ADMIN_OK_200, ADMIN_OK_200),
            rest("GET /api/v1/reports/clicks", "/api/v1/reports/clicks", null, REPORT_READ, REPORT_READ, REPORT_READ),
            rest("GET /api/v1/saved-reports", null, null, REPORT_READ, REPORT_READ, REPORT_READ),
            rest("POST /api/v1/saved-reports", null, "{\"name\":\"Mine\",\"definition\":{\"groups\":[\"day\"]}}", SAVE_OWN, SAVE_OWN, SAVE_OWN),
            // {savedReport}: a report the tenant's admin saved just now, unshared: only that admin deletes it.
            rest("DELETE /api/v1/saved-reports/{id}", "/api/v1/saved-reports/{savedReport}", null, DELETE_ADMINS_OWN, DELETE_ADMINS_OWN, DELETE_FOREIGN),
            rest("POST /api/v1/admin/views/{view}/rebuild", "/api/v1/admin/views/nope/rebuild", null, OPERATOR_404, OPERATOR_404, OPERATOR_404),
            rest("GET /api/v1/admin/views/{view}/rebuild", "/api/v1/admin/views/nope/rebuild", null, OPERATOR_404, OPERATOR_404, OPERATOR_404),
            // Moderation (docs/audit.md): tenant admins; advertisers only where the tenant allows it (not here).
            rest("POST /api/v1/conversions/{conversionId}/approve", "/api/v1/conversions/cv_missing/approve", null,
                    ADMIN_404, ADMIN_404, ADMIN_404),
            rest("POST /api/v1/conversions/{conversionId}/reject", "/api/v1/conversions/cv_missing/reject", "{\"reason\":\"x\"}",
                    ADMIN_404, ADMIN_404, ADMIN_404),
            rest("POST /api/v1/conversions/{conversionId}/reverse", "/api/v1/conversions/cv_missing/reverse", "{\"reason\":\"x\"}",
                    ADMIN_404, ADMIN_404, ADMIN_404),
            rest("POST /api/v1/conversions/{conversionId}/adjust", "/api/v1/conversions/cv_missing/adjust",
                    "{\"reason\":\"x\",\"payout\":\"1.00\"}", ADMIN_404, ADMIN_404, ADMIN_404),
            rest("POST /api/v1/conversions/moderation", null,
                    "{\"action\":\"APPROVE\",\"filter\":{\"conversionIds\":[\"cv_missing\"]}}", ADMIN_OK_200, ADMIN_OK_200, ADMIN_OK_200),
            rest("GET /api/v1/conversions/moderation", null, null, ADMIN_OK_200, ADMIN_OK_200, ADMIN_OK_200),
            graphql("Mutation.approveConversion", "mutation { approveConversion(conversionId: \\\"cv_missing\\\") { to } }",
                    ADMIN_404, ADMIN_404, ADMIN_404),
            graphql("Mutation.rejectConversion", "mutation { rejectConversion(conversionId: \\\"cv_missing\\\", reason: \\\"x\\\") { to } }",
                    ADMIN_404, ADMIN_404, ADMIN_404),
            graphql("Mutation.reverseConversion", "mutation { reverseConversion(conversionId: \\\"cv_missing\\\", reason: \\\"x\\\") { to } }",
                    ADMIN_404, ADMIN_404, ADMIN_404),
            graphql("Mutation.adjustConversion",
                    "mutation { adjustConversion(conversionId: \\\"cv_missing\\\", reason: \\\"x\\\", payout: \\\"1.00\\\") { to } }",
                    ADMIN_404, ADMIN_404, ADMIN_404),
            graphql("Mutation.moderateConversions",
                    "mutation { moderateConversions(action: APPROVE, filter: {conversionIds: [\\\"cv_missing\\\"]}) { matched } }",
                    ADMIN_OK_200, ADMIN_OK_200, ADMIN_OK_200),
            graphql("Query.moderationQueue", "{ moderationQueue(held: true) { conversionId } }", ADMIN_OK_200, ADMIN_OK_200, ADMIN_OK_200),
            // The audit trail (docs/audit.md): the operator names the tenant, everyone else reads their own.
            rest("GET /api/v1/audit/events", "/api/v1/audit/events?tenantId={tenant}&limit=20", null, AUDIT_READ, AUDIT_READ, AUDIT_FOREIGN),
            rest("GET /api/v1/audit/events.ndjson", "/api/v1/audit/events.ndjson?tenantId={tenant}&type=OfferCreatedEvent", null,
                    AUDIT_READ, AUDIT_READ, AUDIT_FOREIGN),
            rest("GET /api/v1/audit/verify", "/api/v1/audit/verify?tenantId={tenant}", null, AUDIT_READ, AUDIT_READ, AUDIT_FOREIGN),
            rest("GET /api/v1/audit/keys", null, null, AUDIT_READ, AUDIT_READ, AUDIT_READ),
            rest("GET /api/v1/audit/state", "/api/v1/audit/state?tenantId={tenant}&at=now", null, AUDIT_READ, AUDIT_READ, AUDIT_FOREIGN),
            rest("GET /api/v1/audit/diff", "/api/v1/audit/diff?tenantId={tenant}&from=2026-01-01T00:00:00Z&to=2030-01-01T00:00:00Z", null,
                    AUDIT_READ, AUDIT_READ, AUDIT_FOREIGN),
            rest("POST /api/v1/audit/checkpoints", "/api/v1/audit/checkpoints?tenantId={tenant}", null, AUDIT_SIGN, AUDIT_SIGN,
                    AUDIT_SIGN_FOREIGN),
            graphql("Query.auditEvents", "{ auditEvents(tenantId: \\\"{tenant}\\\", first: 20) { tenantId items { eventId type } next } }",
                    AUDIT_READ, AUDIT_READ, AUDIT_FOREIGN),
            graphql("Query.auditState", "{ auditState(tenantId: \\\"{tenant}\\\") { tenantId events figures { name value amount currency } } }",
                    AUDIT_READ, AUDIT_READ, AUDIT_FOREIGN),
            graphql("Query.auditDiff", "{ auditDiff(tenantId: \\\"{tenant}\\\", from: \\\"2026-01-01T00:00:00Z\\\", "
                    + "to: \\\"2030-01-01T00:00:00Z\\\") { tenantId changes { figure } causesTotal } }", AUDIT_READ, AUDIT_READ, AUDIT_FOREIGN),
            graphql("Query.auditVerify", "{ auditVerify(tenantId: \\\"{tenant}\\\") { verified events line } }",
                    AUDIT_READ, AUDIT_READ, AUDIT_FOREIGN),
            graphql("Query.auditKeys", "{ auditKeys { activeKeyId keys { keyId publicKey active } } }", AUDIT_READ, AUDIT_READ, AUDIT_READ),
            graphql("Query.report", "{ report(metrics: [\\\"clicks\\\"], groupBy: [\\\"day\\\"], from: \\\"2026-01-01\\\", to: \\\"2026-02-01\\\") { columns } }",
                    REPORT_READ, REPORT_READ, REPORT_READ),
            graphql("Query.conversionLog", "{ conversionLog { columns } }", REPORT_READ, REPORT_READ, REPORT_READ),
            graphql("Query.clickLog", "{ clickLog { columns } }", REPORT_READ, REPORT_READ, REPORT_READ),
            graphql("Query.tenant", "{ tenant(id: \\\"{tenant}\\\") { id name status } }", EVERYONE_200, EVERYONE_200, TENANT_FOREIGN_404),
            // The live counters (live.graphqls), sent over SSE as the console does: no argument names an object, so the
            // sides are the same call; the leak check below searches each pushed value for tenant B's ids and the secrets.
            // GraphQlAuditAndWebhookIT checks what each role's counters contain (own tenant's only; no revenue for affiliates).
            graphql("Subscription.todayCounters", "subscription { todayCounters { day clicks conversions payout currency } }",
                    LIVE_READ, LIVE_READ, LIVE_READ),

            // Public tracking endpoints: no API key; their own credentials (link code, postback token, cookie) decide.
            open("GET /postback"),
            open("POST /postback"),
            open("GET /p"));

    static Row rest(String route, String path, String body, String own, String sibling, String foreign) {
        return new Row(route, path == null ? route.substring(route.indexOf(' ') + 1) : path, body, null,
                Map.of(Side.OWN, codes(own), Side.SIBLING, codes(sibling), Side.FOREIGN, codes(foreign)), false);
    }

    static Row graphql(String field, String query, String own, String sibling, String foreign) {
        return new Row(field, "/graphql", null, query,
                Map.of(Side.OWN, codes(own), Side.SIBLING, codes(sibling), Side.FOREIGN, codes(foreign)), false);
    }

    static Row open(String route) {
        return new Row(route, null, null, null, Map.of(), true);
    }

    static int[] codes(String cells) {
        int[] codes = java.util.Arrays.stream(cells.trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
        if (codes.length != ROLES.size()) {
            throw new IllegalArgumentException("a matrix cell list needs " + ROLES.size() + " statuses: " + cells);
        }
        return codes;
    }

    @Autowired
    org.springframework.graphql.execution.GraphQlSource graphQl;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    /** Shared by the tests of this class (JUnit makes an instance per test); set up once. */
    static TenantFixture a;
    static TenantFixture b;

    @BeforeEach
    void tenants() {
        if (a == null) {
            a = TenantFixture.create(this, "bola-a");
            b = TenantFixture.create(this, "bola-b");
        }
    }

    @Test
    void everyRouteAndGraphQlFieldHasARowAndNoRowIsStale() throws Exception {
        Set<String> documented = documentedRoutes();
        documented.addAll(graphQlFields());
        Set<String> declared = new TreeSet<>();
        TABLE.forEach(r -> declared.add(r.route()));
        assertThat(new TreeSet<>(documented)).as("routes/fields without a row in BolaMatrixIT.TABLE (add their cells)")
                .isSubsetOf(declared);
        assertThat(declared).as("rows for routes/fields that no longer exist").isSubsetOf(documented);
        TABLE.stream().filter(Row::open).forEach(r -> assertThat(r.route()).as("an open route outside /api")
                .doesNotContain(" /api/").doesNotContain("/graphql"));
    }

    @Test
    void everyApiHandlerDeclaresItsRoles() {
        List<String> undeclared = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, method) -> {
            boolean api = info.getPatternValues().stream().anyMatch(p -> p.startsWith("/api/"));
            if (api && AccessInterceptor.required(method) == null) {
                undeclared.add(info + " -> " + method);
            }
        });
        assertThat(undeclared).as("API handlers without @Access").isEmpty();
    }

    @Test
    void everyRoleOfTenantAGetsItsCellAgainstOwnSiblingAndForeignObjects() {
        List<String> mismatches = new ArrayList<>();
        int cells = 0;
        for (Row row : TABLE) {
            if (row.open()) {
                continue;
            }
            for (Side side : Side.values()) {
                int[] expected = row.expected().get(side);
                for (int i = 0; i < ROLES.size(); i++) {
                    Role role = ROLES.get(i);
                    Response r = call(row, side, role, expected[i]);
                    cells++;
                    int status = row.graphql() != null ? graphQlStatus(r) : r.status();
                    if (status != expected[i]) {
                        mismatches.add(String.format(Locale.ROOT, "%-40s %-52s %-8s %-14s expected %d got %d: %s", row.route(),
                                row.path(), side, role, expected[i], status, abbreviate(r.body())));
                    }
                    if (role != Role.OPERATOR && status / 100 == 2) {
                        for (String leak : forbiddenIn(role)) {
                            if (r.body().contains(leak)) {
                                mismatches.add(row.route() + " " + side + " " + role + " LEAKS " + leak + ": " + abbreviate(r.body()));
                            }
                        }
                    }
                }
            }
        }
        assertThat(cells).isGreaterThan(500);
        assertThat(mismatches).as("BOLA matrix mismatches").isEmpty();
    }

    /**
     * Routes that change only the caller's own data (its saved reports), open to every tenant role by design;
     * their matrix rows above say who may do what to whose.
     */
    static final java.util.Set<String> CALLERS_OWN = java.util.Set.of("POST /api/v1/saved-reports", "DELETE /api/v1/saved-reports/{id}");

    /** Function level: no admin or operator action is open to analyst, affiliate, advertiser or auditor keys. */
    @Test
    void everyChangingActionRefusesAnalystAffiliateAdvertiserAndAuditorKeys() throws Exception {
        List<String> open = new ArrayList<>();
        Map<String, Row> firstRow = new LinkedHashMap<>();
        TABLE.forEach(r -> firstRow.putIfAbsent(r.route(), r));
        for (String route : documentedRoutes()) {
            if (route.startsWith("GET ") || !route.contains(" /api/") || CALLERS_OWN.contains(route)) {
                continue;
            }
            Row row = firstRow.get(route);
            assertThat(row).as("row for " + route).isNotNull();
            for (Role role : List.of(Role.TENANT_ANALYST, Role.AFFILIATE, Role.ADVERTISER, Role.AUDITOR)) {
                Response r = call(row, Side.OWN, role, 403);
                if (r.status() != 403) {
                    open.add(route + " " + role + " -> " + r.status());
                }
            }
        }
        assertThat(open).isEmpty();
    }

    private Response call(Row row, Side side, Role role, int expected) {
        String key = role == Role.OPERATOR ? OPERATOR_KEY : a.keys.get(role);
        if (row.graphql() != null && row.graphql().startsWith("subscription")) {
            return firstPush(key, "{\"query\":\"" + resolve(row.graphql(), side, role, expected) + "\"}");
        }
        if (row.graphql() != null) {
            return send("POST", "/graphql", key, "{\"query\":\"" + resolve(row.graphql(), side, role, expected) + "\"}");
        }
        String method = row.route().substring(0, row.route().indexOf(' '));
        return send(method, resolve(row.path(), side, role, expected),
                key, row.body() == null ? null : resolve(row.body(), side, role, expected));
    }

    /** A subscription over GraphQL over SSE: its first pushed message as the answer (an HTTP error as it is). */
    private Response firstPush(String key, String body) {
        return firstPush(this, key, body);
    }

    static Response firstPush(PlatformIT it, String key, String body) {
        try {
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(it.base + "/graphql"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .header("Accept", "text/event-stream").timeout(java.time.Duration.ofSeconds(30))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
            java.net.http.HttpResponse<java.util.stream.Stream<String>> response = it.http.send(request,
                    java.net.http.HttpResponse.BodyHandlers.ofLines());
            try (java.util.stream.Stream<String> lines = response.body()) {
                if (response.statusCode() != 200) {
                    return new Response(response.statusCode(), null, String.join("\n", lines.toList()));
                }
                String data = lines.filter(l -> l.startsWith("data:")).findFirst().orElse("data:{}");
                return new Response(200, "application/json", data.substring(5).trim());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(tenant|adv|off|aff|lnk|slug|freshTenant|freshKey|freshToken|savedReport)}");

    /**
     * Placeholders: {@code {tenant} {adv} {off} {aff} {lnk}} are A's "1" objects (OWN), A's "2" objects
     * (SIBLING) or B's "1" objects (FOREIGN); {@code {slug}} is new each time; {@code {freshTenant}},
     * {@code {freshKey}}, {@code {freshToken}} are created for the cell when it expects success (so a
     * destructive action never hits a shared object) and are the fixture's own otherwise.
     */
    private String resolve(String template, Side side, Role role, int expected) {
        TenantFixture t = side == Side.FOREIGN ? b : a;
        boolean sibling = side == Side.SIBLING;
        boolean succeeds = expected / 100 == 2;
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "tenant" -> t.tenantId;
                case "adv" -> sibling ? t.adv2 : t.adv1;
                case "off" -> sibling ? t.off2 : t.off1;
                case "aff" -> sibling ? t.aff2 : t.aff1;
                case "lnk" -> sibling ? t.lnk2 : t.lnk1;
                case "slug" -> uniqueSlug("matrix");
                case "freshTenant" -> succeeds ? registerTenant(uniqueSlug("matrix-fresh"))[0] : t.tenantId;
                case "freshKey" -> succeeds ? t.newKey("{\"role\":\"TENANT_ANALYST\"}")[0] : t.adminKeyId;
                case "freshToken" -> succeeds ? t.newTokenId() : t.tokenId;
                case "savedReport" -> t.post("/api/v1/saved-reports", "{\"name\":\"Admin's\",\"definition\":{}}").get("id").asText();
                default -> throw new IllegalStateException(m.group(1));
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** What a tenant-A caller of this role must never see in a successful answer. */
    private List<String> forbiddenIn(Role role) {
        List<String> leaks = new ArrayList<>(b.ids());
        leaks.addAll(a.secrets);
        leaks.addAll(b.secrets);
        if (role == Role.AFFILIATE) {
            leaks.addAll(List.of(a.aff2, a.lnk2, a.code2));
        }
        if (role == Role.ADVERTISER) {
            leaks.addAll(List.of(a.adv2, a.off2));
        }
        return leaks;
    }

    /** A GraphQL answer as the HTTP status a REST route would give (its first error's classification). */
    static int graphQlStatus(Response r) {
        if (r.status() != 200) {
            return r.status();
        }
        JsonNode errors = r.json().get("errors");
        if (errors == null || errors.isEmpty()) {
            return 200;
        }
        return switch (errors.get(0).at("/extensions/classification").asText()) {
            case "FORBIDDEN" -> 403;
            case "NOT_FOUND" -> 404;
            case "UNAUTHORIZED" -> 401;
            case "BAD_REQUEST", "ValidationError" -> 400;
            default -> 500;
        };
    }

    private Set<String> documentedRoutes() {
        Response docs = send("GET", "/v3/api-docs", null, null);
        assertThat(docs.status()).isEqualTo(200);
        Set<String> routes = new LinkedHashSet<>();
        Iterator<Map.Entry<String, JsonNode>> paths = docs.json().get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (Set.of("get", "post", "put", "patch", "delete").contains(method)) {
                    routes.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            });
        }
        return routes;
    }

    /** The root fields of the schema the server runs (introspection by the schema object, not by a query). */
    private Set<String> graphQlFields() {
        Set<String> fields = new LinkedHashSet<>();
        graphQl.schema().getQueryType().getFieldDefinitions().forEach(f -> fields.add("Query." + f.getName()));
        if (graphQl.schema().getMutationType() != null) {
            graphQl.schema().getMutationType().getFieldDefinitions().forEach(f -> fields.add("Mutation." + f.getName()));
        }
        if (graphQl.schema().getSubscriptionType() != null) {
            graphQl.schema().getSubscriptionType().getFieldDefinitions().forEach(f -> fields.add("Subscription." + f.getName()));
        }
        return fields;
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
