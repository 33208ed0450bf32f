package io.affnet.platform.ops;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives every request an id, in the log context ({@code requestId}, a field of every structured log
 * line written while the request is handled) and in the answer's {@code X-Request-Id}. An id sent in
 * the trusted header (set by a proxy in front, {@code affnet.logging.trusted-request-id-header}) is
 * kept when it is a short safe token (letters, digits, {@code . _ -}, at most 64); anything else is
 * replaced, so a client cannot forge log lines through it.
 */
public class RequestIdFilter extends OncePerRequestFilter {

    public static final String MDC_KEY = "requestId";
    public static final String HEADER = "X-Request-Id";
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_".toCharArray();

    private final String trustedHeader;

    public RequestIdFilter(String trustedHeader) {
        this.trustedHeader = trustedHeader == null || trustedHeader.isBlank() ? null : trustedHeader;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String inbound = trustedHeader == null ? null : request.getHeader(trustedHeader);
        String id = safe(inbound) ? inbound : newId();
        response.setHeader(HEADER, id);
        MDC.put(MDC_KEY, id);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    /** A short token that cannot break a log line or a header: [A-Za-z0-9._-]{1,64}. */
    static boolean safe(String id) {
        if (id == null || id.isEmpty() || id.length() > 64) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** 16 random characters (96 bits): unique enough to find one request's lines, cheap on the click path. */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] out = new char[16];
        long bits = random.nextLong();
        for (int i = 0; i < 10; i++) {
            out[i] = ALPHABET[(int) (bits & 63)];
            bits >>>= 6;
        }
        bits = random.nextLong();
        for (int i = 10; i < 16; i++) {
            out[i] = ALPHABET[(int) (bits & 63)];
            bits >>>= 6;
        }
        return new String(out);
    }
}
