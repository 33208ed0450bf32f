package io.affnet.platform.chaos;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ./affnet chaos [--scenario NAME] [--minutes N]}: the fault harness ({@link ChaosHarness}) with
 * full-length faults. Not part of {@code ./affnet test} (its name matches no test pattern; the short
 * variant there is {@link ChaosIT}). Properties: {@code chaos.scenarios} (comma-separated, default all),
 * {@code chaos.minutes} (scales the fault lengths). The last line is also written to
 * {@code platform/target/chaos.txt}.
 */
class ChaosRun {

    @Test
    void run() throws Exception {
        Path file = Path.of("target", "chaos.txt");
        if (Files.exists(file)) {
            // -Dtest selects this class for the platform's second surefire execution (payout-flow) too;
            // scripts/chaos.sh deletes the file before it starts, so only the first execution runs.
            System.out.println("chaos: already run in this build (" + file.toAbsolutePath() + ")");
            return;
        }
        String names = System.getProperty("chaos.scenarios", "");
        List<String> scenarios = names.isBlank() ? ChaosHarness.SCENARIOS : Arrays.asList(names.split(","));
        double minutes = Double.parseDouble(System.getProperty("chaos.minutes", "5"));
        ChaosHarness.Result result;
        try (ChaosHarness harness = new ChaosHarness(ChaosHarness.Settings.full(minutes), line -> System.out.println("chaos: " + line))) {
            result = harness.run(scenarios);
        }
        System.out.println(result.lastLine());
        Files.writeString(file, String.join("\n",
                result.scenarios().stream().map(Object::toString).toList()) + "\n" + result.lastLine() + "\n");
    }
}
