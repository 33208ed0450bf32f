package io.affnet.command.offer;

import io.affnet.api.common.Role;
import io.affnet.api.common.TenantId;
import io.affnet.api.conversion.ExchangeRate;
import io.affnet.api.offer.Amount;
import io.affnet.api.offer.CreateOfferCommand;
import io.affnet.api.offer.OfferStatus;
import io.affnet.api.offer.OfferTerms;
import io.affnet.api.offer.UpdateOfferCommand;
import io.affnet.command.postback.ExchangeRates;
import io.affnet.command.support.RecordingCommandGateway;
import io.affnet.web.testing.StandaloneApi;
import io.affnet.web.auth.Caller;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The offer API's request checks and problem documents, and what reaches the command side. */
class OfferControllerTest {

    private static final Set<String> RATED = Set.of("EUR", "USD", "GBP");
    private static final ExchangeRates RATES = (from, to) -> RATED.contains(from) && RATED.contains(to)
            ? Optional.of(new ExchangeRate(from, to, "1", LocalDate.of(2026, 12, 4), "test")) : Optional.empty();
    private static final Caller ADMIN = new Caller(TenantId.of("t_offers_a"), "key_admin", Role.TENANT_ADMIN);

    private final RecordingCommandGateway commands = new RecordingCommandGateway(c -> c instanceof UpdateOfferCommand ? 2L : null);
    // The create and update paths ask no configuration lookup (it serves the pixel settings).
    private final MockMvc api = StandaloneApi.of(new OfferController(commands.gateway(), RATES, null));

    private static final String VALID = """
            {"name":"Shoes DE","advertiserId":"adv_1","destinationUrl":"https://shop.example/?cid={click_id}",
             "currency":"EUR","goals":[{"name":"sale","revenue":{"percent":"12.5"},"payout":{"amount":"2.50","currency":"EUR"}}],
             "caps":{"daily":500},"allowedCountries":["DE","AT"]}""";

    private ResultActions send(MockHttpServletRequestBuilder request, Caller caller, String body) throws Exception {
        if (caller != null) {
            request.requestAttr(Caller.REQUEST_ATTRIBUTE, caller);
        }
        return api.perform(request.contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private ResultActions validationProblem(ResultActions result) throws Exception {
        return result.andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("https://affnet.dev/problems/validation"));
    }

    @Test
    void createsTheOfferInTheCallersTenantWithExactAmountsAndTheDefaults() throws Exception {
        send(post("/api/v1/offers"), ADMIN, VALID)
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", startsWith("/api/v1/offers/off_")))
                .andExpect(jsonPath("$.version").value(1));
        assertThat(commands.sent()).hasSize(1);
        CreateOfferCommand command = (CreateOfferCommand) commands.sent().get(0);
        assertThat(command.tenantId()).as("the tenant comes from the key, never from the body").isEqualTo(ADMIN.tenantId());
        OfferTerms terms = command.terms();
        assertThat(terms.status()).isEqualTo(OfferStatus.ACTIVE);
        assertThat(terms.attributionWindowSeconds()).isEqualTo(OfferTerms.DEFAULT_WINDOW_SECONDS);
        assertThat(terms.goals().get(0).payout()).isEqualTo(Amount.fixed(250));
        assertThat(terms.goals().get(0).revenue()).isEqualTo(Amount.percentBasisPoints(1250));
        assertThat(terms.caps().daily()).isEqualTo(500L);
        assertThat(terms.allowedCountries()).containsExactlyInAnyOrder("DE", "AT");
    }

    @Test
    void aBodyWithSeveralMistakesIsOne400ListingEveryFieldAndSendsNothing() throws Exception {
        validationProblem(send(post("/api/v1/offers"), ADMIN, """
                {"advertiserId":"adv_1","destinationUrl":"https://shop.example/","currency":"eur","goals":[]}"""))
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("name", "currency", "goals")))
                .andExpect(jsonPath("$.detail", containsString("3 invalid values")));
        assertThat(commands.sent()).isEmpty();
    }

    @Test
    void anOfferCurrencyWithoutAnExchangeRateIsRefused() throws Exception {
        validationProblem(send(post("/api/v1/offers"), ADMIN, VALID.replace("\"EUR\"", "\"JPY\"")))
                .andExpect(jsonPath("$.errors[0].field").value("currency"))
                .andExpect(jsonPath("$.errors[0].message", containsString("no exchange rate")));
        assertThat(commands.sent()).isEmpty();
    }

    @Test
    void aFixedAmountIsDecimalTextInTheOffersCurrencyWithItsDecimals() throws Exception {
        validationProblem(send(post("/api/v1/offers"), ADMIN, VALID.replace("\"2.50\"", "\"2.505\"")))
                .andExpect(jsonPath("$.errors[0].field").value("goals[0].payout"));
        validationProblem(send(post("/api/v1/offers"), ADMIN,
                VALID.replace("\"amount\":\"2.50\",\"currency\":\"EUR\"", "\"amount\":\"2.50\",\"currency\":\"USD\"")))
                .andExpect(jsonPath("$.errors[0].field").value("goals[0].payout.currency"));
        validationProblem(send(post("/api/v1/offers"), ADMIN, VALID.replace("{\"percent\":\"12.5\"}", "{}")))
                .andExpect(jsonPath("$.errors[0].message", containsString("exactly one of amount")));
        // A JSON number is refused before any check: it may have been through a binary float already.
        send(post("/api/v1/offers"), ADMIN, VALID.replace("\"2.50\"", "2.5"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("https://affnet.dev/problems/malformed-body"));
        assertThat(commands.sent()).isEmpty();
    }

    @Test
    void aPutMustStateTheStatusSoItNeverResumesAPausedOfferByOmission() throws Exception {
        validationProblem(send(put("/api/v1/offers/off_1"), ADMIN, VALID))
                .andExpect(jsonPath("$.errors[0].field").value("status"));
        assertThat(commands.sent()).isEmpty();
        send(put("/api/v1/offers/off_1"), ADMIN, VALID.replace("\"currency\":\"EUR\",", "\"currency\":\"EUR\",\"status\":\"PAUSED\","))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.id").value("off_1"))
                .andExpect(jsonPath("$.version").value(2));
        UpdateOfferCommand update = (UpdateOfferCommand) commands.sent().get(0);
        assertThat(update.tenantId()).isEqualTo(ADMIN.tenantId());
        assertThat(update.terms().status()).isEqualTo(OfferStatus.PAUSED);
    }

    @Test
    void malformedJsonAndUnknownFieldsAre400sNot500s() throws Exception {
        send(post("/api/v1/offers"), ADMIN, "{\"name\":")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("https://affnet.dev/problems/malformed-body"));
        send(post("/api/v1/offers"), ADMIN, VALID.replace("\"name\":", "\"tenantId\":\"t_other\",\"name\":"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("https://affnet.dev/problems/malformed-body"));
        assertThat(commands.sent()).isEmpty();
    }

    @Test
    void onlyATenantAdminMayConfigureOffers() throws Exception {
        for (Role role : new Role[]{Role.TENANT_ANALYST, Role.AUDITOR, Role.AFFILIATE, Role.ADVERTISER, Role.OPERATOR}) {
            send(post("/api/v1/offers"), new Caller(TenantId.of("t_offers_a"), "key_" + role, role), VALID)
                    .andExpect(status().isForbidden())
                    .andExpect(jsonPath("$.type").value("https://affnet.dev/problems/forbidden"));
        }
        send(post("/api/v1/offers"), null, VALID)
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.type").value("https://affnet.dev/problems/unauthenticated"));
        assertThat(commands.sent()).isEmpty();
    }
}
