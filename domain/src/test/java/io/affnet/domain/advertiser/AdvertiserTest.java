package io.affnet.domain.advertiser;

import io.affnet.api.advertiser.AdvertiserCreatedEvent;
import io.affnet.api.advertiser.AdvertiserProfile;
import io.affnet.api.advertiser.AdvertiserUpdatedEvent;
import io.affnet.api.advertiser.CreateAdvertiserCommand;
import io.affnet.api.advertiser.UpdateAdvertiserCommand;
import io.affnet.api.common.TenantId;
import io.affnet.domain.config.InvalidConfigurationException;
import io.affnet.domain.config.NotInTenantException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdvertiserTest {

    private static final TenantId TENANT = new TenantId("t_1");
    private static final AdvertiserProfile PROFILE = new AdvertiserProfile("Shop GmbH", "EUR");
    private AggregateTestFixture<Advertiser> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Advertiser.class);
        fixture.registerCommandHandler(CreateAdvertiserCommand.class, m -> fixture.getRepository()
                .newInstance(() -> new Advertiser((CreateAdvertiserCommand) m.getPayload())).identifierAsString());
        fixture.registerCommandHandler(UpdateAdvertiserCommand.class, m -> {
            UpdateAdvertiserCommand c = (UpdateAdvertiserCommand) m.getPayload();
            fixture.getRepository().load(c.advertiserId()).execute(a -> a.handle(c));
            return null;
        });
    }

    @Test
    void createsAdvertiserAsVersionOne() {
        fixture.givenNoPriorActivity()
                .when(new CreateAdvertiserCommand("adv_1", TENANT, PROFILE))
                .expectEvents(new AdvertiserCreatedEvent("adv_1", TENANT, 1, PROFILE));
    }

    @Test
    void updateIncrementsVersion() {
        AdvertiserProfile renamed = new AdvertiserProfile("Shop AG", "CHF");
        fixture.given(new AdvertiserCreatedEvent("adv_1", TENANT, 1, PROFILE),
                        new AdvertiserUpdatedEvent("adv_1", TENANT, 2, PROFILE))
                .when(new UpdateAdvertiserCommand("adv_1", TENANT, renamed))
                .expectEvents(new AdvertiserUpdatedEvent("adv_1", TENANT, 3, renamed));
    }

    @Test
    void rejectsUnknownCurrencyAndOversizedName() {
        fixture.givenNoPriorActivity()
                .when(new CreateAdvertiserCommand("adv_1", TENANT, new AdvertiserProfile("Shop", "EURO")))
                .expectException(InvalidConfigurationException.class)
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new CreateAdvertiserCommand("adv_1", TENANT, new AdvertiserProfile("x".repeat(201), "EUR")))
                .expectExceptionMessage("name must be at most 200 characters");
    }

    @Test
    void refusesCommandOfAnotherTenant() {
        fixture.given(new AdvertiserCreatedEvent("adv_1", TENANT, 1, PROFILE))
                .when(new UpdateAdvertiserCommand("adv_1", new TenantId("t_2"), PROFILE))
                .expectException(NotInTenantException.class)
                .expectNoEvents();
    }
}
