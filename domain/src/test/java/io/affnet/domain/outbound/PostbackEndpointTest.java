package io.affnet.domain.outbound;

import io.affnet.api.common.TenantId;
import io.affnet.api.outbound.ConfigurePostbackEndpointCommand;
import io.affnet.api.outbound.PausePostbackEndpointCommand;
import io.affnet.api.outbound.PostbackEndpointConfiguredEvent;
import io.affnet.api.outbound.PostbackEndpointPausedEvent;
import io.affnet.api.outbound.PostbackEndpointResumedEvent;
import io.affnet.api.outbound.PostbackMethod;
import io.affnet.api.outbound.PostbackSecretIssuedEvent;
import io.affnet.api.outbound.PostbackTemplate;
import io.affnet.api.outbound.ResumePostbackEndpointCommand;
import io.affnet.domain.config.InvalidConfigurationException;
import io.affnet.domain.config.NotInTenantException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostbackEndpointTest {

    private static final TenantId TENANT = TenantId.of("t_1");
    private static final String ENDPOINT = ConfigurePostbackEndpointCommand.endpointIdOf("aff_1");
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    private static final List<PostbackTemplate> GLOBAL = List.of(new PostbackTemplate(null, null, PostbackMethod.GET,
            "https://aff.example/pb?c={click_id}"));
    private final org.axonframework.test.aggregate.AggregateTestFixture<PostbackEndpoint> fixture =
            new org.axonframework.test.aggregate.AggregateTestFixture<>(PostbackEndpoint.class);

    PostbackEndpointTest() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        fixture.registerInjectableResource(clock);
        fixture.registerAnnotatedCommandHandler(new Object() {
            @org.axonframework.commandhandling.CommandHandler
            void handle(PausePostbackEndpointCommand c, org.axonframework.modelling.command.Repository<PostbackEndpoint> repo) {
                repo.load(c.endpointId()).execute(e -> e.handle(c, clock));
            }

            @org.axonframework.commandhandling.CommandHandler
            void handle(ResumePostbackEndpointCommand c, org.axonframework.modelling.command.Repository<PostbackEndpoint> repo) {
                repo.load(c.endpointId()).execute(e -> e.handle(c, clock));
            }
        });
    }

    private static Object[] configured() {
        return new Object[]{new PostbackEndpointConfiguredEvent(TENANT, "aff_1", 1, GLOBAL),
                new PostbackSecretIssuedEvent(TENANT, "aff_1", "v1.sealed", "whsec_abcd", NOW)};
    }

    @Test
    void pausingAPausedEndpointRecordsNothingAndResumingRecordsOnce() {
        fixture.given(configured())
                .when(new PausePostbackEndpointCommand(ENDPOINT, TENANT, 10, "HTTP 500"))
                .expectEvents(new PostbackEndpointPausedEvent(TENANT, "aff_1", 10, "HTTP 500", NOW));
        fixture.given(configured()).andGiven(new PostbackEndpointPausedEvent(TENANT, "aff_1", 10, "HTTP 500", NOW))
                .when(new PausePostbackEndpointCommand(ENDPOINT, TENANT, 11, "HTTP 500"))
                .expectNoEvents();
        fixture.given(configured()).andGiven(new PostbackEndpointPausedEvent(TENANT, "aff_1", 10, "HTTP 500", NOW))
                .when(new ResumePostbackEndpointCommand(ENDPOINT, TENANT))
                .expectEvents(new PostbackEndpointResumedEvent(TENANT, "aff_1", NOW));
    }

    @Test
    void anotherTenantCannotTouchTheEndpoint() {
        fixture.given(configured())
                .when(new PausePostbackEndpointCommand(ENDPOINT, TenantId.of("t_2"), 10, "x"))
                .expectException(NotInTenantException.class);
    }

    @Test
    void templateRulesRefuseTwoGlobalsAndAGoalWithoutOffer() {
        PostbackTemplate global = GLOBAL.get(0);
        assertThatThrownBy(() -> PostbackTemplateRules.validate(List.of(global, global)))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("only one global");
        assertThatThrownBy(() -> PostbackTemplateRules.validate(List.of(new PostbackTemplate(null, "sale", PostbackMethod.GET,
                "https://a.example/")))).hasMessageContaining("needs an offerId");
    }

    @Test
    void aPayoutsTemplateIsOnePostWithoutOfferGoalOrMacrosBesideTheConversionTemplates() {
        PostbackTemplate payouts = PostbackTemplate.payouts("https://a.example/payouts");
        PostbackTemplateRules.validate(List.of(GLOBAL.get(0), payouts));
        assertThat(payouts.specificityFor("o1", "sale")).as("never fired for a conversion").isEqualTo(-1);
        assertThatThrownBy(() -> PostbackTemplateRules.validate(List.of(payouts, payouts))).hasMessageContaining("only one");
        assertThatThrownBy(() -> PostbackTemplateRules.validate(List.of(new PostbackTemplate("o1", null, PostbackMethod.POST,
                "https://a.example/", PostbackTemplate.PAYOUTS)))).hasMessageContaining("no offerId");
        assertThatThrownBy(() -> PostbackTemplateRules.validate(List.of(new PostbackTemplate(null, null, PostbackMethod.GET,
                "https://a.example/", PostbackTemplate.PAYOUTS)))).hasMessageContaining("must be POST");
        assertThatThrownBy(() -> PostbackTemplateRules.validate(List.of(PostbackTemplate.payouts("https://a.example/?p={payout}"))))
                .hasMessageContaining("no macros");
        assertThatThrownBy(() -> PostbackTemplateRules.validate(List.of(new PostbackTemplate(null, null, PostbackMethod.POST,
                "https://a.example/", "invoices")))).hasMessageContaining("'payouts'");
    }
}
