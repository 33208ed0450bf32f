package io.affnet.domain.affiliate;

import io.affnet.api.affiliate.AffiliateCreatedEvent;
import io.affnet.api.affiliate.AffiliateProfile;
import io.affnet.api.affiliate.AffiliateStatus;
import io.affnet.api.affiliate.AffiliateUpdatedEvent;
import io.affnet.api.affiliate.ChangeAffiliateStatusCommand;
import io.affnet.api.affiliate.CreateAffiliateCommand;
import io.affnet.api.affiliate.PayoutOverride;
import io.affnet.api.affiliate.UpdateAffiliateCommand;
import io.affnet.api.common.TenantId;
import io.affnet.api.offer.Amount;
import io.affnet.domain.config.InvalidConfigurationException;
import io.affnet.domain.config.NotInTenantException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AffiliateTest {

    private static final TenantId TENANT = new TenantId("t_1");
    private static final PayoutOverride OVERRIDE = new PayoutOverride("off_1", "sale", Amount.fixed(500));
    private static final AffiliateProfile PROFILE =
            new AffiliateProfile("Deals Blog", "ops@deals.example", AffiliateStatus.ACTIVE, List.of(OVERRIDE));
    private AggregateTestFixture<Affiliate> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Affiliate.class);
        fixture.registerCommandHandler(CreateAffiliateCommand.class, m -> fixture.getRepository()
                .newInstance(() -> new Affiliate((CreateAffiliateCommand) m.getPayload())).identifierAsString());
        fixture.registerCommandHandler(UpdateAffiliateCommand.class, m -> {
            UpdateAffiliateCommand c = (UpdateAffiliateCommand) m.getPayload();
            fixture.getRepository().load(c.affiliateId()).execute(a -> a.handle(c));
            return null;
        });
        fixture.registerCommandHandler(ChangeAffiliateStatusCommand.class, m -> {
            ChangeAffiliateStatusCommand c = (ChangeAffiliateStatusCommand) m.getPayload();
            fixture.getRepository().load(c.affiliateId()).execute(a -> a.handle(c));
            return null;
        });
    }

    @Test
    void createsAffiliateAsVersionOne() {
        fixture.givenNoPriorActivity()
                .when(new CreateAffiliateCommand("aff_1", TENANT, PROFILE))
                .expectEvents(new AffiliateCreatedEvent("aff_1", TENANT, 1, PROFILE));
    }

    @Test
    void suspendKeepsOverridesAndBumpsVersion() {
        fixture.given(new AffiliateCreatedEvent("aff_1", TENANT, 1, PROFILE))
                .when(new ChangeAffiliateStatusCommand("aff_1", TENANT, AffiliateStatus.SUSPENDED))
                .expectEvents(new AffiliateUpdatedEvent("aff_1", TENANT, 2, new AffiliateProfile(
                        "Deals Blog", "ops@deals.example", AffiliateStatus.SUSPENDED, List.of(OVERRIDE))));
    }

    @Test
    void rejectsBadEmailAndDuplicateOverride() {
        fixture.givenNoPriorActivity()
                .when(new CreateAffiliateCommand("aff_1", TENANT,
                        new AffiliateProfile("Blog", "not-an-email", AffiliateStatus.ACTIVE, List.of())))
                .expectException(InvalidConfigurationException.class)
                .expectNoEvents();
        assertThatThrownBy(() -> Affiliate.validate(new AffiliateProfile("Blog", "a@b.example", AffiliateStatus.ACTIVE,
                List.of(OVERRIDE, new PayoutOverride("off_1", "sale", Amount.fixed(1))))))
                .isInstanceOf(InvalidConfigurationException.class)
                .satisfies(e -> assertThat(((InvalidConfigurationException) e).field()).isEqualTo("payoutOverrides"));
    }

    @Test
    void refusesCommandOfAnotherTenant() {
        fixture.given(new AffiliateCreatedEvent("aff_1", TENANT, 1, PROFILE))
                .when(new UpdateAffiliateCommand("aff_1", new TenantId("t_2"), PROFILE))
                .expectException(NotInTenantException.class)
                .expectNoEvents();
    }
}
