package io.swarmgate.bootstrap.engine;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.PushResponseItem;
import io.swarmgate.bootstrap.BootstrapException;
import io.swarmgate.bootstrap.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Images through the API: built from a directory, copied between engines that share no registry (saved from one,
 * loaded into the others), pushed to a registry.
 */
public final class Images {
    private static final long BUILD_MINUTES = 10;
    private static final long PUSH_MINUTES = 10;
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

    /**
     * Builds the directory (its Dockerfile) on the engine as {@code tag}; answers the image ID. A failed build throws
     * with the build's output, which names the step that failed.
     */
    public static String build(Engine engine, Path context, String tag, Map<String, String> labels,
            Console console) {
        StringBuilder output = new StringBuilder();
        String[] imageId = new String[1];
        String[] error = new String[1];
        long started = System.nanoTime();
        ResultCallback.Adapter<BuildResponseItem> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(BuildResponseItem item) {
                if (item.getStream() != null) {
                    output.append(item.getStream());
                    if (item.getStream().startsWith("Step ")) {
                        console.progress("build " + tag + ": " + item.getStream().trim());
                    }
                }
                if (item.isErrorIndicated()) {
                    error[0] = item.getErrorDetail() != null ? item.getErrorDetail().getMessage() : item.getError();
                }
                if (item.isBuildSuccessIndicated()) {
                    imageId[0] = item.getImageId();
                }
            }
        };
        try {
            engine.api().buildImageCmd(context.toFile()).withTags(Set.of(tag)).withLabels(labels).withPull(false)
                    .exec(callback).awaitCompletion(BUILD_MINUTES, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BootstrapException("build of " + tag + " interrupted", e);
        } catch (RuntimeException e) {
            throw new BootstrapException("build of " + tag + " failed: " + e.getMessage() + "\n" + output, e);
        }
        if (error[0] != null || imageId[0] == null) {
            throw new BootstrapException("build of " + tag + " failed: "
                    + (error[0] == null ? "no image (timed out after " + BUILD_MINUTES + " min?)" : error[0])
                    + "\n" + output.toString().trim());
        }
        console.did(String.format("image %s: built on %s in %.1f s", tag, engine.uri(),
                (System.nanoTime() - started) / 1e9));
        return imageId[0];
    }

    /** Pushes {@code reference} (registry/repository:tag) from the engine, unless the registry has this very image. */
    public static void push(Engine engine, String reference, Console console) {
        ImageReference ref = ImageReference.parse(reference);
        Optional<String> digest = RegistryClient.manifestDigest(ref);
        List<String> repoDigests = engine.api().inspectImageCmd(reference).exec().getRepoDigests();
        if (digest.isPresent() && repoDigests != null
                && repoDigests.contains(ref.registry() + "/" + ref.repository() + "@" + digest.get())) {
            console.unchanged("image " + reference + ": already in the registry");
            return;
        }
        String[] error = new String[1];
        long started = System.nanoTime();
        ResultCallback.Adapter<PushResponseItem> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(PushResponseItem item) {
                if (item.isErrorIndicated()) {
                    error[0] = item.getErrorDetail() != null ? item.getErrorDetail().getMessage() : item.getError();
                } else if ("Pushed".equals(item.getStatus())) {
                    console.progress("push " + reference + ": layer " + item.getId() + " pushed");
                }
            }
        };
        try {
            boolean done = engine.api().pushImageCmd(ref.registry() + "/" + ref.repository()).withTag(ref.tag())
                    .exec(callback).awaitCompletion(PUSH_MINUTES, TimeUnit.MINUTES);
            if (!done) {
                throw new BootstrapException("push of " + reference + ": no end after " + PUSH_MINUTES + " min");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BootstrapException("push of " + reference + " interrupted", e);
        }
        if (error[0] != null) {
            throw new BootstrapException("push of " + reference + " failed: " + error[0]);
        }
        console.did(String.format("image %s: pushed in %.1f s", reference, (System.nanoTime() - started) / 1e9));
    }
}
