package io.affnet.command.geo;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What the GeoIP lookup adds to a click: parse the client IP, look up country and AS, test the AS
 * against the hosting networks, for 65,536 random public IPv4 addresses (so the node cache rarely
 * helps) and for a few addresses seen again and again (a realistic mix of repeat visitors).
 * Run: {@code ./affnet bench geoip [quick]}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GeoIpBench {

    private GeoIp geo;
    private HostingNetworks hosting;
    private String[] randomIps;
    private String[] repeatIps;
    private int i;

    @Setup(Level.Trial)
    public void load() {
        Path dir = Path.of(System.getenv().getOrDefault("AFFNET_GEOIP_DIR", ".affnet/geoip"));
        geo = GeoIp.open(new GeoIp.Sources(dir.resolve(GeoIpConfiguration.COUNTRY_FILE), null,
                dir.resolve(GeoIpConfiguration.ASN_IPV4_FILE), dir.resolve(GeoIpConfiguration.ASN_IPV6_FILE)));
        if (!geo.hasCountries() || !geo.hasAsns()) {
            throw new IllegalStateException("no GeoIP data in " + dir + " (./affnet geoip update)");
        }
        hosting = HostingNetworks.shippedPlus(List.of());
        SplittableRandom random = new SplittableRandom(13);
        randomIps = new String[65_536];
        for (int k = 0; k < randomIps.length; k++) {
            int first;
            do {
                first = 1 + random.nextInt(223);
            } while (first == 10 || first == 127 || first == 100 || first == 172 || first == 192);
            randomIps[k] = first + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
        }
        repeatIps = new String[]{"193.0.6.139", "8.8.8.8", "81.2.69.142", "217.160.0.1", "2001:4860:4860::8888"};
    }

    @Benchmark
    public void randomAddress(Blackhole out) {
        GeoIp.Location at = geo.locate(randomIps[i++ & (randomIps.length - 1)]);
        out.consume(at);
        out.consume(hosting.contains(at.asn()));
    }

    @Benchmark
    public void repeatVisitor(Blackhole out) {
        GeoIp.Location at = geo.locate(repeatIps[i++ % repeatIps.length]);
        out.consume(at);
        out.consume(hosting.contains(at.asn()));
    }

    /**
     * {@code quick}: fewer JMH iterations. {@code cpu}: instead of JMH's wall-clock time, the thread's
     * CPU time per lookup over 2 M lookups after 2 M of warm-up, which a machine shared with other work
     * does not inflate.
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("cpu")) {
            cpuPerLookup();
            return;
        }
        boolean quick = args.length > 0 && args[0].equals("quick");
        OptionsBuilder options = new OptionsBuilder();
        options.include(GeoIpBench.class.getSimpleName());
        if (quick) {
            options.warmupIterations(1).measurementIterations(2);
        }
        Options built = options.build();
        new Runner(built).run();
    }

    private static void cpuPerLookup() {
        GeoIpBench bench = new GeoIpBench();
        bench.load();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (String mode : new String[]{"randomAddress", "repeatVisitor"}) {
            String[] ips = mode.equals("randomAddress") ? bench.randomIps : bench.repeatIps;
            int n = 2_000_000;
            for (int k = 0; k < n; k++) {
                sink += lookup(bench, ips[k % ips.length]);
            }
            long cpu = threads.getCurrentThreadCpuTime();
            for (int k = 0; k < n; k++) {
                sink += lookup(bench, ips[k % ips.length]);
            }
            cpu = threads.getCurrentThreadCpuTime() - cpu;
            System.out.printf(java.util.Locale.ROOT, "GEOIP mode=%s lookups=%d cpu_us_per_lookup=%.3f%n", mode, n, cpu / 1000.0 / n);
        }
        System.out.println("(checksum " + sink + ")");
    }

    private static long lookup(GeoIpBench bench, String ip) {
        GeoIp.Location at = bench.geo.locate(ip);
        return (at.country() == null ? 0 : at.country().charAt(0)) + (bench.hosting.contains(at.asn()) ? 1 : 0);
    }
}
