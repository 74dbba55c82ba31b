package io.swarmgate.bootstrap.engine;

import com.github.dockerjava.api.exception.NotFoundException;
import io.swarmgate.bootstrap.BootstrapException;
import io.swarmgate.bootstrap.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/** Images between engines that share no registry: saved from one through the API and loaded into the others. */
public final class Images {
    private Images() {
    }

    /** The image's ID on this engine, or empty when it has no such image. */
    public static Optional<String> id(Engine engine, String image) {
        try {
            return Optional.of(engine.api().inspectImageCmd(image).exec().getId());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** Copies {@code image} from {@code source} to each target that lacks this very image; says what it did. */
    public static void copy(Engine source, List<Engine> targets, String image, Console console) {
        String id = id(source, image).orElseThrow(() -> new BootstrapException(
                "image " + image + " is missing on " + source.uri() + ", the engine it is copied from"));
        List<Engine> lacking = targets.stream().filter(target -> !id(target, image).equals(Optional.of(id))).toList();
        if (lacking.isEmpty()) {
            console.unchanged("image " + image + ": already on " + targets.size() + " engine(s)");
            return;
        }
        try {
            Path archive = Files.createTempFile("swarmgate-image", ".tar");
            try {
                try (InputStream saved = source.api().saveImageCmd(image).exec()) {
                    Files.copy(saved, archive, StandardCopyOption.REPLACE_EXISTING);
                }
                console.progress("saved " + image + " from " + source.uri() + " (" + Files.size(archive) / 1_000_000
                        + " MB)");
                for (Engine target : lacking) {
                    try (InputStream in = Files.newInputStream(archive)) {
                        target.api().loadImageCmd(in).exec();
                    }
                    console.did("image " + image + ": loaded into " + target.uri());
                }
            } finally {
                Files.deleteIfExists(archive);
            }
        } catch (IOException e) {
            throw new BootstrapException("copying " + image + " from " + source.uri() + ": " + e.getMessage(), e);
        }
    }
}
