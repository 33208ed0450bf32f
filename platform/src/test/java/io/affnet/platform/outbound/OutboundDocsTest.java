package io.affnet.platform.outbound;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The Java recipe in docs/outbound-postbacks.md is the very verifier the ITs check real requests with. */
class OutboundDocsTest {

    @Test
    void theDocumentedJavaRecipeIsTheTestedVerifier() throws Exception {
        String source = Files.readString(Path.of("src/test/java/io/affnet/platform/outbound/AffnetSignatureVerifier.java"));
        String recipe = source.lines().filter(l -> !l.startsWith("package ") && !l.startsWith("// The receiver"))
                .collect(Collectors.joining("\n")).strip();
        assertThat(Files.readString(Path.of("../docs/outbound-postbacks.md"))).contains(recipe);
    }
}
