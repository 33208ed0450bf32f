package io.affnet.api.ledger;

import java.util.Currency;
import java.util.List;
import java.util.Objects;

/**
 * One balanced movement of money in one currency: its postings sum to zero (double entry), and it is
 * never edited afterwards; a correction is another entry. {@code entryId} is a natural key (the kind
 * and the conversion or payout it is about), so replaying the events writes the same entries.
 */
public record JournalEntry(String entryId, String currency, List<Posting> postings) {

    public JournalEntry {
        Objects.requireNonNull(entryId, "entryId");
        Currency.getInstance(currency);
        postings = List.copyOf(postings);
        if (postings.isEmpty()) {
            throw new IllegalArgumentException("an entry has postings");
        }
        long sum = 0;
        for (Posting p : postings) {
            sum = Math.addExact(sum, p.minor());
        }
        if (sum != 0) {
            throw new IllegalArgumentException("entry " + entryId + " does not balance: " + sum);
        }
    }
}
