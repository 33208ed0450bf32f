package io.affnet.command.distribution;

/**
 * Redis layout of the learning state of smart links: the encoded {@code PolicyState} of each link (a
 * hash, see {@code StateCodec}). What a conversion needs to be credited to the right (link, offer,
 * segment) travels on the conversion event itself ({@code SmartLinkContext}).
 */
final class DistributionKeys {

    private DistributionKeys() {
    }

    static String state(String tenantId, String linkId) {
        return "affnet:t:" + tenantId + ":dstate:" + linkId;
    }

    static final String STATE_PATTERN = "affnet:t:*:dstate:*";
}
