package io.affnet.distribution.ope;

import io.affnet.distribution.state.StatsAccumulator;

/** Feeds a logged decision and its reward to an accumulator, as click plus (if rewarded) conversion. */
final class Feedback {

    private Feedback() {
    }

    static void record(StatsAccumulator acc, LoggedDecision d) {
        acc.recordClick(d.chosenOfferId(), d.context(), d.timestampMillis());
        if (d.reward() > 0) {
            acc.recordConversion(d.chosenOfferId(), d.context(), d.timestampMillis(), d.timestampMillis(), d.reward());
        }
    }
}
