package io.affnet.api.offer;

/** One kind of conversion of an offer (e.g. "lead", "sale") with what the advertiser pays and the affiliate earns. */
public record Goal(String name, Amount revenue, Amount payout) {
}
