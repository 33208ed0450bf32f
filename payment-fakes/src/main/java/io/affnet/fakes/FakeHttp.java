package io.affnet.fakes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small embedded HTTP server (the JDK's {@code HttpServer}) with routes by method and path pattern, on
 * 127.0.0.1 and a free port. A handler may throw {@link Drop} to close the connection without an answer,
 * which is how the fakes simulate a connection reset after the effect was applied.
 */
public final class FakeHttp implements AutoCloseable {

    /** Thrown by a handler: the connection is closed with no response at all. */
    public static final class Drop extends RuntimeException {
        public Drop() {
            super("fault: connection dropped", null, false, false);
        }
    }

    /** One incoming request, its body read once. */
    public record Request(String method, String path, Map<String, String> query, Map<String, List<String>> headers,
                          byte[] body, Matcher match) {

        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** One response; {@code body} null means none. */
    public record Response(int status, Map<String, String> headers, byte[] body) {

        public Response withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Response(status, h, body);
        }

        public String bodyText() {
            return body == null ? "" : new String(body, StandardCharsets.UTF_8);
        }
    }

    @FunctionalInterface
    public interface Handler {
        Response handle(Request request) throws Exception;
    }

    private record Route(String method, Pattern path, Handler handler) {
    }

    private static final int MAX_BODY = 1 << 20;

    private final List<Route> routes = new ArrayList<>();
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicLong requests = new AtomicLong();

    public FakeHttp() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a local port for a fake", e);
        }
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "payment-fake");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
    }

    public FakeHttp route(String method, String pathRegex, Handler handler) {
        routes.add(new Route(method, Pattern.compile(pathRegex), handler));
        return this;
    }

    public FakeHttp start() {
        server.start();
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY);
            }
            String path = exchange.getRequestURI().getRawPath();
            Response response = null;
            boolean pathKnown = false;
            for (Route route : routes) {
                Matcher m = route.path.matcher(path);
                if (!m.matches()) {
                    continue;
                }
                pathKnown = true;
                if (!route.method.equals(exchange.getRequestMethod())) {
                    continue;
                }
                Request request = new Request(exchange.getRequestMethod(), path,
                        parseForm(exchange.getRequestURI().getRawQuery()), exchange.getRequestHeaders(), body, m);
                try {
                    response = route.handler.handle(request);
                } catch (Drop drop) {
                    throw drop;
                } catch (Exception e) {
                    response = Json.response(500, Map.of("error", Map.of("type", "api_error",
                            "message", "fake failed: " + e)));
                }
                break;
            }
            if (response == null) {
                response = Json.response(pathKnown ? 405 : 404, Map.of("error", Map.of("type", "invalid_request_error",
                        "message", "Unrecognized request URL (" + exchange.getRequestMethod() + ": " + path + ")")));
            }
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            if (response.body() == null) {
                exchange.sendResponseHeaders(response.status(), -1);
            } else {
                exchange.sendResponseHeaders(response.status(), response.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        }
    }

    /** {@code a=1&b%5Bc%5D=2} as an ordered map with decoded keys and values (the last value of a key wins). */
    public static Map<String, String> parseForm(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }
}
