package io.affnet.sagas.delivery;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.ledger.JournalEntry;
import io.affnet.api.ledger.LedgerAccount;
import io.affnet.api.ledger.Posting;
import io.affnet.api.payout.PayoutState;
import io.affnet.api.payout.PayoutStateChangedEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a payout notice says it moves: the event's own amount first, the read model only for old events. */
class PayoutNotificationAmountTest {

    private static PayoutStateChangedEvent change(PayoutState to, List<JournalEntry> entries, Money paid) {
        return new PayoutStateChangedEvent(new TenantId("t1"), "aff-1", "po-1", "run-1", "paypal", PayoutState.RESERVED,
                to, "ref", null, null, entries, Instant.parse("2026-12-07T08:00:00Z"), paid);
    }

    @Test
    void aSentChangeSaysItsAmountWithoutTheReadModel() {
        Money amount = PayoutNotificationEnqueuer.amountOf(change(PayoutState.SENT, List.of(), new Money(1250, "GBP")), null);
        assertThat(amount).isEqualTo(new Money(1250, "GBP"));
        assertThat(PayoutNotificationEnqueuer.payload(change(PayoutState.SENT, List.of(), new Money(1250, "GBP")), amount))
                .containsEntry("amount", "12.50").containsEntry("currency", "GBP").containsEntry("event", "payout.sent");
    }

    @Test
    void anEventWrittenBeforeTheAmountFieldReadsItsPostingThenTheReadModel() {
        List<JournalEntry> paid = List.of(new JournalEntry("paid:po-1", "EUR", List.of(
                new Posting(LedgerAccount.AFFILIATE_IN_PAYOUT, "paypal", -700), Posting.credit(LedgerAccount.AFFILIATE_PAID, 700))));
        assertThat(PayoutNotificationEnqueuer.amountOf(change(PayoutState.PAID, paid, null), new Money(1, "USD")))
                .as("the posting wins over the read model").isEqualTo(new Money(700, "EUR"));
        assertThat(PayoutNotificationEnqueuer.amountOf(change(PayoutState.SENT, List.of(), null), new Money(700, "EUR")))
                .isEqualTo(new Money(700, "EUR"));
        assertThat(PayoutNotificationEnqueuer.amountOf(change(PayoutState.SENT, List.of(), null), null))
                .as("an old SENT event the read model has not written yet").isNull();
    }
}
