package io.llmgw.core.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Temporary files for the fuzz tests, deleted when the JVM exits. */
final class FuzzFiles {
    private FuzzFiles() {}

    static Path write(String prefix, String suffix, String content) {
        try {
            Path file = Files.createTempFile(prefix, suffix);
            file.toFile().deleteOnExit();
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
