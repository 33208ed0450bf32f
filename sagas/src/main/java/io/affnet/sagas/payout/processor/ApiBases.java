package io.affnet.sagas.payout.processor;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which processor API bases a tenant may store: https URLs with a host name and nothing else (no user
 * info, query or fragment, no literal IP, not localhost). {@code allowLocal} (the operator's
 * {@code affnet.payouts.processors.allow-local-api-base}, off by default) also admits http and loopback
 * addresses, for the local fakes of tests and the payout eval.
 */
public final class ApiBases {

    private ApiBases() {
    }

    /** Why the URL is refused, or empty when it is acceptable. */
    public static Optional<String> refusal(String apiBase, boolean allowLocal) {
        if (apiBase == null || apiBase.isBlank()) {
            return Optional.of("apiBase is required");
        }
        if (apiBase.length() > 255) {
            return Optional.of("apiBase is at most 255 characters");
        }
        URI uri;
        try {
            uri = new URI(apiBase);
        } catch (URISyntaxException e) {
            return Optional.of("apiBase is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.isEmpty() || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return Optional.of("apiBase must be a plain URL with a host (no user info, query or fragment)");
        }
        boolean local = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
        if (allowLocal && local && (scheme.equals("http") || scheme.equals("https"))) {
            return Optional.empty();
        }
        if (!scheme.equals("https")) {
            return Optional.of("apiBase must be an https URL");
        }
        if (local || host.matches("[0-9.]+") || host.startsWith("[")) {
            return Optional.of("apiBase must name a host, not a local or literal IP address");
        }
        return Optional.empty();
    }
}
