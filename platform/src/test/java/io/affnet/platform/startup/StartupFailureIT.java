package io.affnet.platform.startup;

import io.affnet.platform.AffnetApplication;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The real application, started in its own JVM with a store missing, ends with one clear line. */
class StartupFailureIT {

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Process start(String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx256m", "-Daxoniq.update-checker.disabled=true",
                "-cp", System.getProperty("java.class.path"), AffnetApplication.class.getName(), "--server.port=0"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(false).start();
    }

    @Test
    void aMissingRedisEndsTheStartWithOneLineNamingItAndHowToStartIt() throws Exception {
        int port = closedPort();
        Process p = start("--spring.data.redis.port=" + port);
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the platform gives up promptly").isTrue();
            String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).isEqualTo(3);
            List<String> lines = stderr.lines().filter(l -> l.startsWith("affnet: cannot start:")).toList();
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).contains("Redis is not reachable at 127.0.0.1:" + port).contains("./affnet services up");
            assertThat(stderr).doesNotContain("\tat ");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aMissingDatabaseAndSearchAreEachNamed() throws Exception {
        int port = closedPort();
        Process p = start("--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + port + "/affnet",
                "--spring.elasticsearch.uris=http://127.0.0.1:" + port);
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).isEqualTo(3);
            assertThat(stderr).contains("affnet: cannot start: PostgreSQL is not reachable at jdbc:postgresql://127.0.0.1:" + port)
                    .contains("affnet: cannot start: Elasticsearch is not reachable at http://127.0.0.1:" + port)
                    .doesNotContain("\tat ");
        } finally {
            p.destroyForcibly();
        }
    }
}
