package io.swarmgate.api.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyFilesTest {
    @TempDir
    Path directory;

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private String[] names() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void createsTheFileAndItsDirectoriesReadableByTheOwnerAlone() throws Exception {
        Path file = directory.resolve("a/b/key.pem");

        OwnerOnlyFiles.write(file, "secret".getBytes(StandardCharsets.UTF_8));

        assertThat(file).hasContent("secret");
        assertThat(mode(file)).isEqualTo("rw-------");
    }

    @Test
    void replacesAFileReadableByOthersWithOneThatIsNotAndLeavesNoTemporaryFile() throws Exception {
        Path file = directory.resolve("state.json");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));

        OwnerOnlyFiles.write(file, "new".getBytes(StandardCharsets.UTF_8));

        assertThat(file).hasContent("new");
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(names()).containsExactly("state.json");
    }

    @Test
    void aFailedReplacementKeepsThePreviousFileAndLeavesNoTemporaryFile() throws Exception {
        Path target = Files.createDirectory(directory.resolve("state.json")); // a rename cannot replace it
        Files.writeString(target.resolve("inside"), "kept");

        assertThatThrownBy(() -> OwnerOnlyFiles.write(target, "new".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);

        assertThat(target.resolve("inside")).hasContent("kept");
        assertThat(names()).containsExactly("state.json");
    }
}
