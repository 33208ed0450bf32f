package io.affnet.platform.walkthrough;

import io.affnet.platform.support.PlatformIT;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's walk-through is {@code scripts/walkthrough.sh}; it runs as written against a fresh platform. */
class WalkthroughIT extends PlatformIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String START = "# --- walk-through ---\n";
    private static final String END = "# --- end ---\n";

    @Test
    void theWalkthroughScriptCreditsItsSaleAgainstARunningPlatform() throws Exception {
        Path script = ROOT.resolve("scripts/walkthrough.sh");
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().put("B", base);
        builder.environment().put("OP", OPERATOR_KEY);
        builder.environment().put("SLUG", uniqueSlug("walk"));
        Process process = builder.start();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("walkthrough finished within 180 s").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("postback: accepted")
                .contains("\"approved\":{\"amount\":\"3.49\",\"currency\":\"EUR\"}")
                .containsPattern("walkthrough: ok tenant=walk-\\S+ offer=off_\\S+ click=\\S+ postback=accepted approved=3.49 EUR");
    }

    @Test
    void theReadmeShowsExactlyTheScriptsSteps() throws Exception {
        String script = Files.readString(ROOT.resolve("scripts/walkthrough.sh"));
        String readme = Files.readString(ROOT.resolve("README.md"));
        String steps = script.substring(script.indexOf(START) + START.length(), script.indexOf(END));
        assertThat(steps).contains("/postback?").contains("fraud_too_fast");
        assertThat(readme).as("README.md carries the walk-through of scripts/walkthrough.sh verbatim").contains(steps);
    }
}
