package io.affnet.domain.offer;

import io.affnet.api.common.TenantId;
import io.affnet.api.offer.Amount;
import io.affnet.api.offer.Caps;
import io.affnet.api.offer.ChangeOfferStatusCommand;
import io.affnet.api.offer.CreateOfferCommand;
import io.affnet.api.offer.Goal;
import io.affnet.api.offer.OfferCreatedEvent;
import io.affnet.api.offer.OfferStatus;
import io.affnet.api.offer.OfferTerms;
import io.affnet.api.offer.OfferUpdatedEvent;
import io.affnet.api.offer.UpdateOfferCommand;
import io.affnet.domain.config.InvalidConfigurationException;
import io.affnet.domain.config.NotInTenantException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OfferTest {

    private static final TenantId TENANT = new TenantId("t_1");
    private AggregateTestFixture<Offer> fixture;

    /** The tenant's other entities, as the command side's lookup would report them. */
    private final java.util.Set<String> existing = new java.util.HashSet<>(java.util.Set.of("aff_1", "off_1", "off_2", "adv_1", "adv1"));
    private final io.affnet.domain.config.ConfigReferences references = (tenant, kind, id) -> existing.contains(id);

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Offer.class);
        fixture.registerCommandHandler(CreateOfferCommand.class, m -> fixture.getRepository()
                .newInstance(() -> new Offer((CreateOfferCommand) m.getPayload(), references)).identifierAsString());
        fixture.registerCommandHandler(UpdateOfferCommand.class, m -> {
            UpdateOfferCommand c = (UpdateOfferCommand) m.getPayload();
            fixture.getRepository().load(c.offerId()).execute(o -> o.handle(c, references));
            return null;
        });
        fixture.registerCommandHandler(ChangeOfferStatusCommand.class, m -> {
            ChangeOfferStatusCommand c = (ChangeOfferStatusCommand) m.getPayload();
            fixture.getRepository().load(c.offerId()).execute(o -> o.handle(c));
            return null;
        });
    }

    static OfferTerms terms(String url, OfferStatus status) {
        return new OfferTerms("Summer sale", "adv_1", url, "EUR", status,
                List.of(new Goal("sale", Amount.percentBasisPoints(1000), Amount.percentBasisPoints(700)),
                        new Goal("lead", Amount.fixed(300), Amount.fixed(200))),
                OfferTerms.DEFAULT_WINDOW_SECONDS, new Caps(100L, null, null, 10L, null, null),
                Set.of("DE", "AT"), Set.of("phone", "desktop"), null);
    }

    private static final OfferTerms TERMS = terms("https://shop.example/land?c={click_id}&s={sub1}", OfferStatus.ACTIVE);

    @Test
    void createsOfferAsVersionOne() {
        fixture.givenNoPriorActivity()
                .when(new CreateOfferCommand("off_1", TENANT, TERMS))
                .expectEvents(new OfferCreatedEvent("off_1", TENANT, 1, TERMS));
    }

    @Test
    void updateReplacesTermsWithNextVersion() {
        OfferTerms newer = terms("https://shop.example/v2?c={click_id}", OfferStatus.ACTIVE);
        fixture.given(new OfferCreatedEvent("off_1", TENANT, 1, TERMS))
                .when(new UpdateOfferCommand("off_1", TENANT, newer))
                .expectEvents(new OfferUpdatedEvent("off_1", TENANT, 2, newer));
    }

    @Test
    void pauseKeepsTermsAndPausingTwiceChangesNothing() {
        OfferTerms paused = terms(TERMS.destinationUrl(), OfferStatus.PAUSED);
        fixture.given(new OfferCreatedEvent("off_1", TENANT, 1, TERMS))
                .when(new ChangeOfferStatusCommand("off_1", TENANT, OfferStatus.PAUSED))
                .expectEvents(new OfferUpdatedEvent("off_1", TENANT, 2, paused));
        fixture.given(new OfferCreatedEvent("off_1", TENANT, 1, TERMS), new OfferUpdatedEvent("off_1", TENANT, 2, paused))
                .when(new ChangeOfferStatusCommand("off_1", TENANT, OfferStatus.PAUSED))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void rejectsUnknownMacroNamingIt() {
        fixture.givenNoPriorActivity()
                .when(new CreateOfferCommand("off_1", TENANT, terms("https://shop.example/?c={clickid}", OfferStatus.ACTIVE)))
                .expectException(InvalidConfigurationException.class)
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("{clickid}"))
                .expectNoEvents();
    }

    @Test
    void rejectsNonHttpOrRelativeUrls() {
        for (String url : new String[]{"ftp://shop.example/x", "/relative/path", "javascript:alert(1)",
                "https://shop.example/{click_id", "https://" + "a".repeat(2050) + ".example/"}) {
            assertThatThrownBy(() -> OfferRules.validate(terms(url, OfferStatus.ACTIVE)))
                    .as(url).isInstanceOf(InvalidConfigurationException.class)
                    .satisfies(e -> assertThat(((InvalidConfigurationException) e).field()).isEqualTo("destinationUrl"));
        }
    }

    @Test
    void rejectsBadGoalsCapsWindowCountriesAndDevices() {
        OfferTerms t = TERMS;
        assertField(new OfferTerms(t.name(), t.advertiserId(), t.destinationUrl(), t.currency(), t.status(), List.of(),
                t.attributionWindowSeconds(), t.caps(), t.allowedCountries(), t.allowedDeviceClasses(), null), "goals");
        assertField(new OfferTerms(t.name(), t.advertiserId(), t.destinationUrl(), t.currency(), t.status(),
                List.of(t.goals().get(0), t.goals().get(0)), t.attributionWindowSeconds(), t.caps(),
                t.allowedCountries(), t.allowedDeviceClasses(), null), "goals.name");
        assertField(new OfferTerms(t.name(), t.advertiserId(), t.destinationUrl(), t.currency(), t.status(),
                List.of(new Goal("g".repeat(65), Amount.fixed(1), Amount.fixed(1))), t.attributionWindowSeconds(),
                t.caps(), t.allowedCountries(), t.allowedDeviceClasses(), null), "goals.name");
        assertField(new OfferTerms(t.name(), t.advertiserId(), t.destinationUrl(), t.currency(), t.status(), t.goals(),
                0, t.caps(), t.allowedCountries(), t.allowedDeviceClasses(), null), "attributionWindowSeconds");
        assertField(new OfferTerms(t.name(), t.advertiserId(), t.destinationUrl(), t.currency(), t.status(), t.goals(),
                366L * 24 * 3600, t.caps(), t.allowedCountries(), t.allowedDeviceClasses(), null), "attributionWindowSeconds");
        assertField(new OfferTerms(t.name(), t.advertiserId(), t.destinationUrl(), t.currency(), t.status(), t.goals(),
                t.attributionWindowSeconds(), new Caps(-1L, null, null, null, null, null), t.allowedCountries(),
                t.allowedDeviceClasses(), null), "caps");
        assertField(new OfferTerms(t.name(), t.advertiserId(), t.destinationUrl(), t.currency(), t.status(), t.goals(),
                t.attributionWindowSeconds(), t.caps(), Set.of("de"), t.allowedDeviceClasses(), null), "allowedCountries");
        assertField(new OfferTerms(t.name(), t.advertiserId(), t.destinationUrl(), "EURO", t.status(), t.goals(),
                t.attributionWindowSeconds(), t.caps(), t.allowedCountries(), t.allowedDeviceClasses(), null), "currency");
        assertThatThrownBy(() -> OfferRules.validate(new OfferTerms(t.name(), t.advertiserId(), t.destinationUrl(),
                t.currency(), t.status(), t.goals(), t.attributionWindowSeconds(), t.caps(), t.allowedCountries(),
                Set.of("smartwatch"), null)))
                .hasMessageContaining("desktop, phone, tablet, tv, console, wearable, bot, unknown");
        assertField(new OfferTerms(t.name(), t.advertiserId(), t.destinationUrl(), t.currency(), t.status(), t.goals(),
                t.attributionWindowSeconds(), t.caps(), t.allowedCountries(), t.allowedDeviceClasses(), "mailto:x@y.z"),
                "fallbackUrl");
    }

    @Test
    void refusesCommandOfAnotherTenant() {
        fixture.given(new OfferCreatedEvent("off_1", TENANT, 1, TERMS))
                .when(new UpdateOfferCommand("off_1", new TenantId("t_2"), TERMS))
                .expectException(NotInTenantException.class)
                .expectNoEvents();
    }

    private static void assertField(OfferTerms terms, String field) {
        assertThatThrownBy(() -> OfferRules.validate(terms))
                .isInstanceOf(InvalidConfigurationException.class)
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).field()).isEqualTo(field));
    }

    @Test
    void anOfferOfAnAdvertiserTheTenantDoesNotHaveIsRejectedOnce() {
        existing.remove("adv_1");
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        io.affnet.domain.config.ConfigReferences counting = (t, kind, id) -> {
            asked.incrementAndGet();
            return references.exists(t, kind, id);
        };
        assertThatThrownBy(() -> new Offer(new CreateOfferCommand("off_9", TENANT, TERMS), counting))
                .isInstanceOf(io.affnet.domain.config.InvalidConfigurationException.class)
                .hasMessageContaining("advertiserId 'adv_1' does not exist");
        org.assertj.core.api.Assertions.assertThat(asked).hasValue(1);
    }
}
