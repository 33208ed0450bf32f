package io.affnet.platform.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * An affiliate's server for the tests: records every request, and, like a well-behaved receiver,
 * processes each {@code Affnet-Delivery-Id} once (a repeat is answered 200 and not counted again).
 * What it answers is programmable per request.
 */
public final class PostbackReceiver implements AutoCloseable {

    /** One request as received; {@code url} is rebuilt from the Host header and the raw path and query. */
    public record Received(String method, String url, Map<String, String> headers, String body, boolean duplicate) {
        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    /** What to answer: a status, after an optional delay (to provoke timeouts). */
    public record Answer(int status, long delayMs, Map<String, String> headers) {
        public static Answer status(int status) {
            return new Answer(status, 0, Map.of());
        }
    }

    private final HttpServer server;
    public final List<Received> requests = new CopyOnWriteArrayList<>();
    public final List<Received> effective = new CopyOnWriteArrayList<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private volatile Function<Received, Answer> behaviour = r -> Answer.status(200);

    public PostbackReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * "click|txn" from a received URL of the template {@code /pb?c={click_id}&tx={transaction_id}} (the chaos harness's
     * and the soak's): which conversion a delivery was for.
     */
    public static String conversionKey(String url) {
        String click = "";
        String txn = "";
        for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
            if (pair.startsWith("c=")) {
                click = pair.substring(2);
            } else if (pair.startsWith("tx=")) {
                txn = pair.substring(3);
            }
        }
        return click + "|" + txn;
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void answer(Function<Received, Answer> behaviour) {
        this.behaviour = behaviour;
    }

    /** Answers the given statuses in turn (the last one from then on); a status of -1 means "hang past the timeout". */
    public void answerInTurn(int... statuses) {
        List<Integer> list = new ArrayList<>();
        for (int s : statuses) {
            list.add(s);
        }
        List<Integer> remaining = Collections.synchronizedList(list);
        answer(r -> {
            int s = remaining.size() > 1 ? remaining.remove(0) : remaining.get(0);
            return s == -1 ? new Answer(200, 2500, Map.of()) : Answer.status(s);
        });
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new ConcurrentHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String url = "http://" + exchange.getRequestHeaders().getFirst("Host") + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        String deliveryId = headers.get("affnet-delivery-id");
        Received probe = new Received(exchange.getRequestMethod(), url, headers, body, false);
        Answer answer = behaviour.apply(probe);
        if (answer.delayMs() > 0) {
            try {
                Thread.sleep(answer.delayMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        boolean success = answer.status() >= 200 && answer.status() < 300;
        boolean duplicate = success && deliveryId != null && !seen.add(deliveryId);
        Received received = new Received(probe.method(), url, headers, body, duplicate);
        requests.add(received);
        if (success && !duplicate) {
            effective.add(received);
        }
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] out = (success ? "ok" : "error " + answer.status()).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), out.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(out);
        } catch (IOException ignored) {
            // the sender gave up (timeout); nothing to answer
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
