package io.affnet.command.affiliate;

import io.affnet.api.affiliate.AffiliateStatus;
import io.affnet.api.affiliate.CreateAffiliateCommand;
import io.affnet.api.affiliate.PayoutOverride;
import io.affnet.api.affiliate.UpdateAffiliateCommand;
import io.affnet.api.common.Role;
import io.affnet.api.common.TenantId;
import io.affnet.api.config.ConfigEntityKinds;
import io.affnet.api.offer.Amount;
import io.affnet.command.config.ConfigLookup;
import io.affnet.command.support.RecordingCommandGateway;
import io.affnet.web.auth.Caller;
import io.affnet.web.testing.PostgresSchema;
import io.affnet.web.testing.StandaloneApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The affiliate API's checks, with its payout overrides read against the caller's own offers in the real
 * {@code config_entity}: an override is in the currency of the tenant's offer it names.
 */
class AffiliateControllerIT {

    private static final TenantId A = TenantId.of("t_aff_a_" + UUID.randomUUID().toString().substring(0, 8));
    private static final TenantId B = TenantId.of("t_aff_b_" + UUID.randomUUID().toString().substring(0, 8));
    private static final Caller ADMIN = new Caller(A, "key_admin", Role.TENANT_ADMIN);

    private static PostgresSchema schema;
    private static ConfigLookup lookup;

    private final RecordingCommandGateway commands = new RecordingCommandGateway(c -> c instanceof UpdateAffiliateCommand ? 4L : null);
    private MockMvc api;

    @BeforeAll
    static void schema() {
        schema = PostgresSchema.create();
        lookup = new ConfigLookup(schema.jdbc());
        schema.jdbc().update("INSERT INTO config_entity (tenant_id, kind, id, version, body) VALUES (?, ?, ?, 1, ?::jsonb)",
                A.value(), ConfigEntityKinds.OFFER, "off_eur", "{\"id\":\"off_eur\",\"currency\":\"EUR\",\"goals\":[{\"name\":\"sale\"}]}");
        schema.jdbc().update("INSERT INTO config_entity (tenant_id, kind, id, version, body) VALUES (?, ?, ?, 1, ?::jsonb)",
                B.value(), ConfigEntityKinds.OFFER, "off_jpy", "{\"id\":\"off_jpy\",\"currency\":\"JPY\",\"goals\":[{\"name\":\"sale\"}]}");
    }

    @AfterAll
    static void drop() {
        if (schema != null) {
            schema.close();
        }
    }

    private ResultActions send(MockHttpServletRequestBuilder request, String body) throws Exception {
        if (api == null) {
            api = StandaloneApi.of(new AffiliateController(commands.gateway(), lookup));
        }
        return api.perform(request.requestAttr(Caller.REQUEST_ATTRIBUTE, ADMIN).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private static String withOverride(String payout) {
        return "{\"name\":\"Pub\",\"email\":\"pub@example.com\",\"payoutOverrides\":[{\"offerId\":\"off_eur\",\"goal\":\"sale\",\"payout\":"
                + payout + "}]}";
    }

    @Test
    void createsTheAffiliateWithItsOverrideInTheOffersCurrency() throws Exception {
        send(post("/api/v1/affiliates"), withOverride("{\"amount\":\"1.50\",\"currency\":\"EUR\"}")).andExpect(status().isCreated());
        CreateAffiliateCommand command = (CreateAffiliateCommand) commands.sent().get(0);
        assertThat(command.tenantId()).isEqualTo(A);
        assertThat(command.profile().status()).isEqualTo(AffiliateStatus.ACTIVE);
        assertThat(command.profile().payoutOverrides()).containsExactly(new PayoutOverride("off_eur", "sale", Amount.fixed(150)));
    }

    @Test
    void anOverrideInAnotherCurrencyOrWithMoreDecimalsThanItsOffersIsRefused() throws Exception {
        send(post("/api/v1/affiliates"), withOverride("{\"amount\":\"1.50\",\"currency\":\"USD\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("payoutOverrides[0].payout.currency"));
        send(post("/api/v1/affiliates"), withOverride("{\"amount\":\"1.505\",\"currency\":\"EUR\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("payoutOverrides[0].payout"));
        send(post("/api/v1/affiliates"), withOverride("{\"kind\":\"FIXED\",\"value\":150}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].message", org.hamcrest.Matchers.containsString("no longer accepted")));
        assertThat(commands.sent()).isEmpty();
    }

    @Test
    void theOverridesCurrencyIsReadFromTheCallersTenantOnly() throws Exception {
        // off_jpy is B's. Read across tenants, its JPY would refuse this EUR amount; for A the offer does not exist,
        // so no currency applies here (that the offer must be the tenant's is the affiliate command handler's check).
        String body = "{\"name\":\"Pub\",\"email\":\"pub@example.com\",\"payoutOverrides\":[{\"offerId\":\"off_jpy\",\"goal\":\"sale\","
                + "\"payout\":{\"amount\":\"1.50\",\"currency\":\"EUR\"}}]}";
        assertThat(lookup.currencyOf(A, "off_jpy")).isNull();
        assertThat(lookup.currencyOf(B, "off_jpy")).isEqualTo("JPY");
        send(post("/api/v1/affiliates"), body).andExpect(status().isCreated());
    }

    @Test
    void everyMissingFieldIsListedAndAPutMustStateTheStatus() throws Exception {
        send(post("/api/v1/affiliates"), "{\"payoutOverrides\":[null,{\"payout\":{\"percent\":\"5\"}}]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("name", "email", "payoutOverrides[0]",
                        "payoutOverrides[1].offerId", "payoutOverrides[1].goal")));
        send(put("/api/v1/affiliates/aff_1"), "{\"name\":\"Pub\",\"email\":\"pub@example.com\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("status"));
        assertThat(commands.sent()).isEmpty();
        send(put("/api/v1/affiliates/aff_1"), "{\"name\":\"Pub\",\"email\":\"pub@example.com\",\"status\":\"SUSPENDED\"}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.version").value(4));
        assertThat(((UpdateAffiliateCommand) commands.sent().get(0)).profile().status()).isEqualTo(AffiliateStatus.SUSPENDED);
    }
}
