package io.affnet.sagas.delivery;

import io.affnet.api.outbound.OutboundTargets;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
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
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends one postback request. Redirects are never followed (a 3xx is the answer). The SSRF check runs
 * inside the client's DNS resolution, on the very addresses it then connects to, so a name that
 * resolves to a public address when checked and to a private one a moment later (DNS rebinding) is
 * still refused. Every attempt is cut off at the attempt timeout, whatever the server does.
 */
public class PostbackSender implements AutoCloseable {

    private static final int MAX_BODY_BYTES = 4096;
    private static final Set<String> SHOWN_HEADERS = Set.of("content-type", "content-length", "retry-after", "location",
            "server", "date");

    /**
     * What came back: status 0 when no response arrived; {@code refused} when the target was not allowed;
     * a few response headers by lower-case name, and the body's first 4 KiB.
     */
    public record Result(int status, Map<String, String> headers, String body, long latencyMs, String error,
                         Duration retryAfter, boolean refused) {
    }

    /** A refused target, raised inside name resolution so the connection is never opened. */
    static final class RefusedTargetException extends UnknownHostException {
        RefusedTargetException(String message) {
            super(message);
        }
    }

    private final Duration timeout;
    private final CloseableHttpClient publicOnly;
    private final CloseableHttpClient anyTarget;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "postback-deadlines");
        t.setDaemon(true);
        return t;
    });

    public PostbackSender(Duration timeout, int maxConnections) {
        this.timeout = timeout;
        this.publicOnly = client(new GuardedResolver(true), maxConnections);
        this.anyTarget = client(new GuardedResolver(false), maxConnections);
    }

    public Result send(String method, String url, String body, Map<String, String> headers, boolean allowPrivateTargets) {
        long start = System.nanoTime();
        String refusal = allowPrivateTargets ? null : refusal(url);
        if (refusal != null) {
            return new Result(0, Map.of(), null, 0, refusal, null, true);
        }
        HttpUriRequestBase request;
        try {
            request = "POST".equals(method) ? new HttpPost(URI.create(url)) : new HttpGet(URI.create(url));
        } catch (IllegalArgumentException e) {
            return new Result(0, Map.of(), null, 0, "invalid URL after filling macros", null, true);
        }
        headers.forEach(request::setHeader);
        request.setHeader("User-Agent", "affnet-postback/1");
        if (body != null && request instanceof HttpPost post) {
            post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        }
        ScheduledFuture<?> deadline = deadlines.schedule(request::cancel, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return (allowPrivateTargets ? anyTarget : publicOnly).execute(request, response -> {
                Map<String, String> shown = new LinkedHashMap<>();
                for (Header h : response.getHeaders()) {
                    String name = h.getName().toLowerCase(Locale.ROOT);
                    if (SHOWN_HEADERS.contains(name)) {
                        shown.put(name, h.getValue());
                    }
                }
                String text = null;
                if (response.getEntity() != null) {
                    try (InputStream in = response.getEntity().getContent()) {
                        text = new String(in.readNBytes(MAX_BODY_BYTES), StandardCharsets.UTF_8);
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

    /** The reason a URL's host is refused as a public-only target, or null. */
    static String refusal(String url) {
        String host;
        try {
            host = URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return "invalid URL";
        }
        if (host == null) {
            return "the URL names no host";
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                String why = OutboundTargets.refusal(address);
                if (why != null) {
                    return "refused target: " + host + " is " + why;
                }
            }
            return null;
        } catch (UnknownHostException e) {
            return null;
        }
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

    private CloseableHttpClient client(DnsResolver resolver, int maxConnections) {
        Timeout t = Timeout.of(timeout);
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(resolver)
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
        publicOnly.close();
        anyTarget.close();
    }

    /** Resolves like the system does, then refuses the name if any address it gave is not public. */
    private static final class GuardedResolver implements DnsResolver {
        private final boolean publicOnly;

        GuardedResolver(boolean publicOnly) {
            this.publicOnly = publicOnly;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            InetAddress[] all = SystemDefaultDnsResolver.INSTANCE.resolve(host);
            if (publicOnly) {
                for (InetAddress a : all) {
                    String why = OutboundTargets.refusal(a);
                    if (why != null) {
                        throw new RefusedTargetException("refused target: " + host + " is " + why);
                    }
                }
            }
            return all;
        }

        @Override
        public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
            List<InetSocketAddress> out = new ArrayList<>();
            for (InetAddress a : resolve(host)) {
                out.add(new InetSocketAddress(a, port));
            }
            return out;
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
        }
    }
}
