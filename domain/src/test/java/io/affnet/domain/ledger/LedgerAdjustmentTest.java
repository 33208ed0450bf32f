package io.affnet.domain.ledger;

import io.affnet.api.common.Money;
import io.affnet.api.common.TenantId;
import io.affnet.api.ledger.EarningAdjustedEvent;
import io.affnet.api.ledger.LedgerEntryKind;
import io.affnet.api.ledger.Posting;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.affnet.api.ledger.LedgerAccount.ADVERTISER_RECEIVABLE;
import static io.affnet.api.ledger.LedgerAccount.AFFILIATE_AVAILABLE;
import static io.affnet.api.ledger.LedgerAccount.AFFILIATE_PENDING;
import static io.affnet.api.ledger.LedgerAccount.NETWORK_MARGIN;
import static org.assertj.core.api.Assertions.assertThat;

/** An adjustment of an approved conversion moves its earning by the difference, once, wherever the money is. */
class LedgerAdjustmentTest {

    static final TenantId T = TenantId.of("t1");
    static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    private static Money eur(long minor) {
        return new Money(minor, "EUR");
    }

    private static LedgerBook earned(Duration hold) {
        LedgerBook book = new LedgerBook();
        book.earn(T, "aff1", "cv1", "off1", eur(300), eur(200), hold, AT).ifPresent(book::apply);
        return book;
    }

    @Test
    void inHoldTheDifferenceGoesToPendingAndTheReleaseMovesTheAdjustedPayout() {
        LedgerBook book = earned(Duration.ofDays(30));
        EarningAdjustedEvent up = book.adjust(T, "aff1", "cv1", "ev-1", eur(300), eur(350), AT).orElseThrow();
        assertThat(up.kind()).isEqualTo(LedgerEntryKind.ADJUSTMENT);
        assertThat(up.afterHold()).isFalse();
        assertThat(up.entry().entryId()).isEqualTo("adjust:cv1:ev-1");
        assertThat(up.entry().postings()).containsExactly(Posting.credit(AFFILIATE_PENDING, 150), Posting.debit(NETWORK_MARGIN, 150));
        book.apply(up);
        assertThat(book.adjust(T, "aff1", "cv1", "ev-1", eur(300), eur(350), AT)).as("a redelivered adjustment").isEmpty();
        assertThat(book.adjust(T, "aff1", "cv1", "ev-2", eur(300), eur(350), AT)).as("nothing moves").isEmpty();
        assertThat(book.balance("EUR", AFFILIATE_PENDING, "")).isEqualTo(350);
        book.release(T, "aff1", "cv1", AT.plus(Duration.ofDays(30))).ifPresent(book::apply);
        assertThat(book.balance("EUR", AFFILIATE_PENDING, "")).isZero();
        assertThat(book.available("EUR")).isEqualTo(350);
    }

    @Test
    void afterTheHoldACutComesOutOfAvailableAndAReversalTakesBackTheRest() {
        LedgerBook book = earned(Duration.ZERO);
        book.release(T, "aff1", "cv1", AT).ifPresent(book::apply);
        EarningAdjustedEvent down = book.adjust(T, "aff1", "cv1", "ev-1", eur(250), eur(120), AT).orElseThrow();
        assertThat(down.afterHold()).isTrue();
        assertThat(down.entry().postings()).containsExactly(Posting.credit(ADVERTISER_RECEIVABLE, 50),
                Posting.debit(AFFILIATE_AVAILABLE, 80), Posting.credit(NETWORK_MARGIN, 30));
        book.apply(down);
        assertThat(book.available("EUR")).isEqualTo(120);
        book.reverse(T, "aff1", "cv1", AT).ifPresent(book::apply);
        assertThat(book.available("EUR")).isZero();
        assertThat(book.balance("EUR", ADVERTISER_RECEIVABLE, "")).isZero();
        assertThat(book.balance("EUR", NETWORK_MARGIN, "")).isZero();
        assertThat(book.adjust(T, "aff1", "cv1", "ev-2", eur(300), eur(500), AT)).as("a reversed earning").isEmpty();
    }

    @Test
    void anUnknownConversionOrAnotherCurrencyPostsNothing() {
        LedgerBook book = earned(Duration.ZERO);
        assertThat(book.adjust(T, "aff1", "cv9", "ev-1", eur(300), eur(500), AT)).isEmpty();
        assertThat(book.adjust(T, "aff1", "cv1", "ev-1", new Money(300, "USD"), new Money(500, "USD"), AT)).isEmpty();
        assertThat(List.of(book.balance("EUR", AFFILIATE_PENDING, ""))).containsExactly(200L);
    }
}
