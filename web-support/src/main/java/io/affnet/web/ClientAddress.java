package io.affnet.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The address of whoever sent a request: the first entry of a header set by a trusted proxy
 * ({@code affnet.click.client-ip-header}, e.g. X-Forwarded-For) when one is configured and present,
 * otherwise the socket's peer. One rule for clicks, postbacks and rate limits.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(HttpServletRequest request, String trustedHeader) {
        if (trustedHeader != null && !trustedHeader.isBlank()) {
            String forwarded = request.getHeader(trustedHeader);
            if (forwarded != null && !forwarded.isBlank()) {
                int comma = forwarded.indexOf(',');
                return (comma < 0 ? forwarded : forwarded.substring(0, comma)).trim();
            }
        }
        return request.getRemoteAddr();
    }
}
