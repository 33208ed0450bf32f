package io.affnet.api.outbound;

import java.util.Map;

/**
 * What a test-fired postback sent and what came back (Everflow's "postback debug info"): {@code received}
 * is null when no answer came, {@code error} says why.
 */
public record PostbackTestFire(Sent sent, Received received, String error) {

    public record Sent(String method, String url, Map<String, String> headers, String body) {
    }

    public record Received(int status, Map<String, String> headers, String body, long latencyMs) {
    }
}
