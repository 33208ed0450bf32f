package io.affnet.sagas.delivery;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends one postback request. Redirects are never followed (a 3xx is the answer). The target's name is
 * resolved once, every address it gave is checked against {@link OutboundTargets} (global unicast only,
 * not this host's own, unless the operator made an exception), and the connection is made to the checked
 * address itself: the client's own resolver refuses every name, so nothing is looked up a second time
 * between check and connect (DNS rebinding). Every attempt is cut off at the attempt timeout, whatever
 * the server does. Of the answer only a short excerpt of printable characters is kept.
 */
public class PostbackSender implements AutoCloseable {

    /** The most of a response body kept (for the delivery log and test-fire): printable characters only. */
    public static final int EXCERPT_CHARS = 256;
    private static final Set<String> SHOWN_HEADERS = Set.of("content-type", "content-length", "retry-after", "location",
            "server", "date");

    /**
     * What came back: status 0 when no response arrived; {@code refused} when the target was not allowed;
     * a few response headers by lower-case name, and an excerpt of the body ({@link #excerpt}).
     */
    public record Result(int status, Map<String, String> headers, String body, long latencyMs, String error,
                         Duration retryAfter, boolean refused) {
    }

    /** A connection the sender did not pin to a checked address; never expected, refused all the same. */
    static final class RefusedTargetException extends UnknownHostException {
        RefusedTargetException(String message) {
            super(message);
        }
    }

    /** Resolves a host name to its addresses (the system resolver; tests give names of their own). */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Duration timeout;
    private final OutboundTargets targets;
    private final Resolver resolver;
    private final CloseableHttpClient client;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "postback-deadlines");
        t.setDaemon(true);
        return t;
    });

    public PostbackSender(Duration timeout, int maxConnections, OutboundTargets targets) {
        this(timeout, maxConnections, targets, InetAddress::getAllByName);
    }

    public PostbackSender(Duration timeout, int maxConnections, OutboundTargets targets, Resolver resolver) {
        this.timeout = timeout;
        this.targets = targets;
        this.resolver = resolver;
        this.client = client(maxConnections);
    }

    public Result send(String method, String url, String body, Map<String, String> headers) {
        long start = System.nanoTime();
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return new Result(0, Map.of(), null, 0, "invalid URL after filling macros", null, true);
        }
        Pinned pinned;
        try {
            pinned = pin(uri);
        } catch (UnknownHostException e) {
            return new Result(0, Map.of(), null, elapsed(start), "unknown host: " + uri.getHost(), null, false);
        }
        if (pinned.refusal() != null) {
            return new Result(0, Map.of(), null, elapsed(start), pinned.refusal(), null, true);
        }
        HttpUriRequestBase request = "POST".equals(method) ? new HttpPost(uri) : new HttpGet(uri);
        headers.forEach(request::setHeader);
        request.setHeader("User-Agent", "affnet-postback/1");
        if (body != null && request instanceof HttpPost post) {
            post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        }
        ScheduledFuture<?> deadline = deadlines.schedule(request::cancel, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return client.execute(pinned.target(), request, response -> {
                Map<String, String> shown = new LinkedHashMap<>();
                for (Header h : response.getHeaders()) {
                    String name = h.getName().toLowerCase(Locale.ROOT);
                    if (SHOWN_HEADERS.contains(name)) {
                        shown.put(name, excerpt(h.getValue()));
                    }
                }
                String text = null;
                if (response.getEntity() != null) {
                    try (InputStream in = response.getEntity().getContent()) {
                        text = excerpt(new String(in.readNBytes(EXCERPT_CHARS * 4), StandardCharsets.UTF_8));
                    }
                }
                Header retryAfter = response.getFirstHeader("Retry-After");
                return new Result(response.getCode(), shown, text, elapsed(start), null,
                        retryAfter == null ? null : retryAfter(retryAfter.getValue()), false);
            });
        } catch (RefusedTargetException e) {
            return new Result(0, Map.of(), null, elapsed(start), e.getMessage(), null, true);
        } catch (IOException | RuntimeException e) {
            boolean timedOut = request.isCancelled() || e instanceof java.net.SocketTimeoutException;
            return new Result(0, Map.of(), null, elapsed(start),
                    timedOut ? "timed out after " + timeout.toMillis() + " ms" : describe(e), null, false);
        } finally {
            deadline.cancel(false);
        }
    }

    /** The checked address to connect to, with the name kept for the Host header, SNI and certificate check. */
    private record Pinned(HttpHost target, String refusal) {
    }

    private Pinned pin(URI uri) throws UnknownHostException {
        String host = uri.getHost();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (host == null || !(scheme.equals("http") || scheme.equals("https"))) {
            return new Pinned(null, "refused target: the URL names no http(s) host");
        }
        String nonCanonical = OutboundTargets.nonCanonicalHost(host);
        if (nonCanonical != null) {
            return new Pinned(null, "refused target: " + nonCanonical);
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] all = resolver.resolve(name);
        if (all.length == 0) {
            throw new UnknownHostException(name);
        }
        for (InetAddress a : all) {
            String why = targets.refusal(a, port);
            if (why != null) {
                return new Pinned(null, "refused target: " + host + " is " + why);
            }
        }
        return new Pinned(new HttpHost(scheme, all[0], name, port), null);
    }

    /** At most {@link #EXCERPT_CHARS} printable characters: controls and other invisible characters become '?'. */
    public static String excerpt(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), EXCERPT_CHARS));
        for (int i = 0; i < text.length() && out.length() < EXCERPT_CHARS; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            boolean printable = cp == ' ' || !Character.isISOControl(cp) && !Character.isWhitespace(cp)
                    && Character.isDefined(cp) && Character.getType(cp) != Character.FORMAT
                    && Character.getType(cp) != Character.SURROGATE && Character.getType(cp) != Character.PRIVATE_USE;
            if (Character.charCount(cp) == 2 && out.length() + 2 > EXCERPT_CHARS) {
                break;
            }
            if (printable) {
                out.appendCodePoint(cp);
            } else {
                out.append(Character.isWhitespace(cp) ? ' ' : '?');
            }
        }
        return out.toString();
    }

    static Duration retryAfter(String value) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(java.time.Instant.now(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    private static String describe(Exception e) {
        String name = e.getClass().getSimpleName();
        return e.getMessage() == null ? name : name + ": " + e.getMessage();
    }

    private static long elapsed(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private CloseableHttpClient client(int maxConnections) {
        Timeout t = Timeout.of(timeout);
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new NoLookups())
                        .setMaxConnTotal(maxConnections)
                        .setMaxConnPerRoute(maxConnections)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(t).setSocketTimeout(t)
                                .setTimeToLive(Timeout.ofMinutes(5)).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(t).setConnectionRequestTimeout(t)
                        .setRedirectsEnabled(false).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .build();
    }

    @Override
    public void close() throws IOException {
        deadlines.shutdownNow();
        client.close();
    }

    /** The client connects only to addresses pinned by {@link #pin}; a lookup of its own is refused. */
    private static final class NoLookups implements DnsResolver {

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            throw new RefusedTargetException("refused target: " + host + " was not resolved and checked before connecting");
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            throw new RefusedTargetException("refused target: " + host + " was not resolved and checked before connecting");
        }
    }
}
