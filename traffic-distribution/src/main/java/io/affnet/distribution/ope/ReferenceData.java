package io.affnet.distribution.ope;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the reference data that ships with the repository (its {@code data} folder, see
 * {@code data/README.md}): the {@code affnet.data} system property or {@code AFFNET_DATA_DIR}
 * environment variable when set, else {@code data/} at the repository root, which is the first
 * directory upwards from the working directory whose {@code pom.xml} declares
 * {@code <artifactId>affnet</artifactId>} as its own artifact id. Nothing outside the checkout is read.
 */
public final class ReferenceData {

    private ReferenceData() {
    }

    public static Path dataDir() {
        String configured = System.getProperty("affnet.data", System.getenv("AFFNET_DATA_DIR"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return repositoryRoot().resolve("data");
    }

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path pom = dir.resolve("pom.xml");
            try {
                if (Files.isRegularFile(pom) && declaresAffnet(Files.readString(pom))) {
                    return dir;
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + pom, e);
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no affnet repository root above " + Path.of("").toAbsolutePath()
                + "; set AFFNET_DATA_DIR");
    }

    /** Module poms name affnet as their parent; only the root pom names itself so. */
    static boolean declaresAffnet(String pom) {
        return pom.replaceAll("(?s)<parent>.*?</parent>", "").contains("<artifactId>affnet</artifactId>");
    }

    public static Path obdDir() {
        return dataDir().resolve("obd");
    }
}
