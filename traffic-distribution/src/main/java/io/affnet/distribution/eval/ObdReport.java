package io.affnet.distribution.eval;

import java.nio.file.Path;

final class ObdReport {
    private ObdReport() {
    }

    static void print(Path dir) {
    }
}
