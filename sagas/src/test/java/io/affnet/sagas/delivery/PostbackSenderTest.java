package io.affnet.sagas.delivery;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The sender against a real HTTP server on this host: what it refuses never gets a connection. */
class PostbackSenderTest {

    private HttpServer server;
    private int port;
    private final List<String> hosts = new CopyOnWriteArrayList<>();
    private volatile byte[] answer = "ok".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("0.0.0.0", 0), 0);
        server.createContext("/", exchange -> {
            hosts.add(exchange.getRequestHeaders().getFirst("Host"));
            if (exchange.getRequestURI().getPath().equals("/redirect")) {
                exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data");
                exchange.sendResponseHeaders(302, -1);
            } else {
                exchange.sendResponseHeaders(200, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
            exchange.close();
        });
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private PostbackSender sender(OutboundTargets targets) {
        return new PostbackSender(Duration.ofSeconds(2), 4, targets);
    }

    private OutboundTargets receiverAllowed() {
        return new OutboundTargets(List.of("127.0.0.1/32 ports " + port + "-" + port));
    }

    @Test
    void refusesLoopbackStoresOwnInterfacesMappedFormsAndNamesOfPrivateAddressesWithoutConnecting() throws Exception {
        try (PostbackSender sender = sender(OutboundTargets.globalOnly())) {
            for (String url : List.of("http://127.0.0.1:9200/_all/_search?q=t_other", "http://127.0.0.1:" + port + "/pb",
                    "http://localhost:" + port + "/pb", "http://[::ffff:127.0.0.1]:" + port + "/pb",
                    "http://" + ownInterfaceAddress() + ":" + port + "/pb", "http://0x7f000001:" + port + "/pb",
                    "http://2130706433:" + port + "/pb", "http://0177.0.0.1:" + port + "/pb", "http://[::1]:" + port + "/pb")) {
                PostbackSender.Result r = sender.send("GET", url, null, Map.of());
                assertThat(r.refused()).as(url).isTrue();
                assertThat(r.error()).as(url).startsWith("refused target");
            }
        }
        assertThat(hosts).isEmpty();
    }

    @Test
    void anOperatorsExceptionReachesOnlyItsPortAndTheAddressIsResolvedOnceAndConnectedToAsChecked() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        PostbackSender.Resolver resolver = host -> {
            lookups.incrementAndGet();
            // A rebinding name: checked once, so the second answer (a store) is never used.
            return lookups.get() == 1 ? new InetAddress[]{InetAddress.getByName("127.0.0.1")}
                    : new InetAddress[]{InetAddress.getByName("10.0.0.1")};
        };
        try (PostbackSender sender = new PostbackSender(Duration.ofSeconds(2), 4, receiverAllowed(), resolver)) {
            PostbackSender.Result ok = sender.send("GET", "http://receiver.test:" + port + "/pb", null, Map.of());
            assertThat(ok.status()).as(ok.error()).isEqualTo(200);
            assertThat(lookups.get()).isEqualTo(1);
            assertThat(hosts).containsExactly("receiver.test:" + port);
        }
        try (PostbackSender sender = sender(receiverAllowed())) {
            assertThat(sender.send("GET", "http://127.0.0.1:9200/", null, Map.of()).refused()).isTrue();
            assertThat(sender.send("GET", "http://[::ffff:127.0.0.1]:" + port + "/pb", null, Map.of()).refused())
                    .as("the excepted address in IPv4-mapped disguise").isTrue();
            PostbackSender.Result redirect = sender.send("GET", "http://127.0.0.1:" + port + "/redirect", null, Map.of());
            assertThat(redirect.status()).isEqualTo(302);
            assertThat(hosts).hasSize(2);
        }
    }

    @Test
    void keepsOnlyAShortExcerptOfPrintableCharactersOfTheAnswer() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 4096; i++) {
            body.append(i % 50 == 0 ? '\u0000' : i % 7 == 0 ? '\u001b' : 'a');
        }
        answer = body.toString().getBytes(StandardCharsets.UTF_8);
        try (PostbackSender sender = sender(receiverAllowed())) {
            PostbackSender.Result r = sender.send("GET", "http://127.0.0.1:" + port + "/pb", null, Map.of());
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).hasSizeLessThanOrEqualTo(PostbackSender.EXCERPT_CHARS);
            assertThat(r.body().chars()).allMatch(c -> c >= 0x20 && c != 0x7f);
        }
        assertThat(PostbackSender.excerpt("a\r\nb\u0000c\u202ed")).isEqualTo("a  b?c?d");
    }

    private static String ownInterfaceAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    return a.getHostAddress();
                }
            }
        }
        throw new AssertionError("this host has no non-loopback IPv4 address to test with");
    }
}
