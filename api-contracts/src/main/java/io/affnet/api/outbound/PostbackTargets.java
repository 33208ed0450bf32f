package io.affnet.api.outbound;

/**
 * Where a postback may go, asked when a tenant saves a template (and checked again by the outbound side at
 * every send, since DNS can change): globally routable addresses only, never this host's own, with the
 * operator's exceptions. The outbound side (sagas) owns the rule; the command side asks.
 */
public interface PostbackTargets {

    /** Why a URL's host is refused as written, before any lookup (an IPv4 address in a disguised form), or null. */
    String nonCanonical(String host);

    /**
     * Why the host, where it resolves, reaches an address a postback may not go to at that port, or null
     * (also when it does not resolve yet: every send checks again).
     */
    String refusal(String host, int port);
}
