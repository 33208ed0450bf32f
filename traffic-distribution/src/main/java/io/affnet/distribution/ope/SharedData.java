package io.affnet.distribution.ope;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared reference data: {@code affnet.shared} system property or {@code AFFNET_SHARED}
 * environment variable (the {@code shared} folder), else {@code ../shared} next to the repository
 * root, which is the first directory upwards from the working directory whose {@code pom.xml}
 * declares {@code <artifactId>affnet</artifactId>} as its own artifact id.
 */
public final class SharedData {

    private SharedData() {
    }

    public static Path sharedDir() {
        String configured = System.getProperty("affnet.shared", System.getenv("AFFNET_SHARED"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path pom = dir.resolve("pom.xml");
            try {
                if (Files.isRegularFile(pom) && declaresAffnet(Files.readString(pom))) {
                    return dir.resolveSibling("shared");
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + pom, e);
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no affnet repository root above " + Path.of("").toAbsolutePath()
                + "; set AFFNET_SHARED");
    }

    /** Module poms name affnet as their parent; only the root pom names itself so. */
    static boolean declaresAffnet(String pom) {
        return pom.replaceAll("(?s)<parent>.*?</parent>", "").contains("<artifactId>affnet</artifactId>");
    }

    public static Path obdDir() {
        return sharedDir().resolve("data").resolve("obd");
    }
}
