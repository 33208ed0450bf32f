package io.affnet.api.ledger;

import io.affnet.api.common.TenantId;

import java.time.Instant;
import java.util.List;

/** An event that moves money: the journal entries it posts to the tenant's ledger. */
public interface LedgerPosted {

    TenantId tenantId();

    String affiliateId();

    LedgerEntryKind kind();

    /** The id of the conversion or payout the entries are about (not a processor's reference). */
    String subject();

    List<JournalEntry> entries();

    Instant postedAt();
}
