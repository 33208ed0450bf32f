package io.affnet.platform.support;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The repository's nginx configuration ({@code ops/nginx/affnet.conf}) run as a child process in front of
 * platform nodes: its own prefix (config, pid, logs, temp files) in a temporary folder, a free local port,
 * the two upstream servers replaced by the nodes' ports. The binary: {@code AFFNET_NGINX}, else {@code nginx}
 * on the PATH, else {@code /usr/sbin/nginx}; absent, {@link #start} fails saying so.
 */
public final class Nginx implements AutoCloseable {

    private final Path prefix;
    private final int port;
    private final Process process;

    private Nginx(Path prefix, int port, Process process) {
        this.prefix = prefix;
        this.port = port;
        this.process = process;
    }

    /** Where the nginx binary is, or null. */
    public static Path binary() {
        String configured = System.getenv("AFFNET_NGINX");
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            return Files.isExecutable(p) ? p : null;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "nginx");
            if (!dir.isBlank() && Files.isExecutable(p)) {
                return p;
            }
        }
        Path sbin = Path.of("/usr/sbin/nginx");
        return Files.isExecutable(sbin) ? sbin : null;
    }

    /** The repository's configuration file (found from the working directory upwards). */
    public static Path config() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("ops/nginx/affnet.conf");
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new IllegalStateException("ops/nginx/affnet.conf not found above " + Path.of("").toAbsolutePath());
    }

    /** Starts nginx in front of the nodes on these ports (exactly two: the file's two servers); answers once it accepts connections. */
    public static Nginx start(List<Integer> nodePorts) throws Exception {
        Path binary = binary();
        if (binary == null) {
            throw new IllegalStateException("nginx is not installed (not on the PATH, not /usr/sbin/nginx, AFFNET_NGINX not set):"
                    + " the two-nodes scenario sends its load through ops/nginx/affnet.conf; install nginx"
                    + " (apt-get install nginx) or set AFFNET_NGINX to its binary");
        }
        if (nodePorts.size() != 2) {
            throw new IllegalArgumentException("ops/nginx/affnet.conf names two nodes, not " + nodePorts.size());
        }
        String text = Files.readString(config());
        int port;
        port = LoopbackPorts.unused();
        String conf = replaceOnce(text, "server 127.0.0.1:8081 ", "server 127.0.0.1:" + nodePorts.get(0) + " ");
        conf = replaceOnce(conf, "server 127.0.0.1:8082 ", "server 127.0.0.1:" + nodePorts.get(1) + " ");
        conf = replaceOnce(conf, "listen 8080;", "listen 127.0.0.1:" + port + ";");
        Path prefix = Files.createTempDirectory("affnet-nginx-");
        // Run as root, nginx's workers are 'nobody': they must reach the prefix.
        Files.setPosixFilePermissions(prefix, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(prefix.resolve("logs"));
        Files.createDirectories(prefix.resolve("temp"));
        Path file = prefix.resolve("affnet.conf");
        Files.writeString(file, conf);
        Process p = new ProcessBuilder(binary.toString(), "-p", prefix + "/", "-c", file.toString(),
                "-e", prefix.resolve("logs/error.log").toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
        Nginx nginx = new Nginx(prefix, port, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("nginx exited with " + p.exitValue() + ": " + nginx.log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return nginx;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        nginx.close();
        throw new IllegalStateException("nginx not listening on " + port + " within 30 s: " + nginx.log());
    }

    private static String replaceOnce(String text, String what, String with) {
        int at = text.indexOf(what);
        if (at < 0 || text.indexOf(what, at + 1) >= 0) {
            throw new IllegalStateException("ops/nginx/affnet.conf must contain '" + what.trim() + "' once");
        }
        return text.replace(what, with);
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public Path prefix() {
        return prefix;
    }

    /** The error log and stdout (for a failure message). */
    public String log() {
        StringBuilder b = new StringBuilder();
        for (String name : List.of("logs/stdout.log", "logs/error.log")) {
            try {
                b.append(Files.readString(prefix.resolve(name))).append('\n');
            } catch (IOException e) {
                // not written
            }
        }
        return b.toString().trim();
    }

    /** How many requests the access log holds answered with this status. */
    public long accessLogCount(int status) throws IOException {
        Path log = prefix.resolve("logs/access.log");
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("\" " + status + " ")).count();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
