package io.affnet.web.limits;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The configured limits ({@code affnet.limits.*}); the defaults are generous so that benches are not
 * throttled, operators tighten them per deployment. {@code clientIpHeader}: the header a trusted proxy
 * puts the visitor's address in (empty: the socket address).
 */
public record LimitSettings(RateLimiter.Limit perKey, RateLimiter.Limit perTenant, RateLimiter.Limit perIp,
                            long maxBodyBytes, String clientIpHeader) {

    public String clientIp(HttpServletRequest request) {
        return io.affnet.web.ClientAddress.of(request, clientIpHeader);
    }
}
