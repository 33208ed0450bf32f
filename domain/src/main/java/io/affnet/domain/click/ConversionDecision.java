package io.affnet.domain.click;

import io.affnet.api.common.Money;
import io.affnet.api.conversion.ConversionStatus;
import io.affnet.api.conversion.RejectionReason;

/** What a click decides about a reported conversion, before it is applied. */
public sealed interface ConversionDecision {

    /** Credit a new conversion (the intake claims cap slots and the transaction id before it is applied). */
    record Record(String goal, String transactionId, ConversionStatus status, Money revenue, Money payout,
                  Money sale, Money originalSale, String flagged) implements ConversionDecision {

        /** The same conversion held for review: pending, flagged with why. */
        Record held(String why) {
            return new Record(goal, transactionId, ConversionStatus.PENDING, revenue, payout, sale, originalSale, why);
        }
    }

    /** An already credited conversion moves on. */
    record ChangeStatus(String conversionId, ConversionStatus from, ConversionStatus to) implements ConversionDecision {
    }

    /** The same report again: nothing changes. */
    record Duplicate(String conversionId, String goal) implements ConversionDecision {
    }

    record Reject(RejectionReason reason, String goal) implements ConversionDecision {
    }
}
