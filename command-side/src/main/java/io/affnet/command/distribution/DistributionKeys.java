package io.affnet.command.distribution;

/**
 * Redis layout of the learning state of smart links: the encoded {@code PolicyState} of each link (a
 * hash, see {@code StateCodec}) and, per smart-link click, what a later conversion needs to be
 * credited to the right (link, offer, segment).
 */
final class DistributionKeys {

    private DistributionKeys() {
    }

    static String state(String tenantId, String linkId) {
        return "affnet:t:" + tenantId + ":dstate:" + linkId;
    }

    static String click(String tenantId, String clickId) {
        return "affnet:t:" + tenantId + ":dclick:" + clickId;
    }

    static final String STATE_PATTERN = "affnet:t:*:dstate:*";
}
