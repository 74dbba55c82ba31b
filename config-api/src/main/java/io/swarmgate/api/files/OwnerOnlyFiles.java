package io.swarmgate.api.files;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes the files that hold a private key or a password (certificates, the replica's state) readable by the owner
 * alone, and atomically: the content goes to a file created with mode 0600 in the same directory, reaches the disk,
 * then replaces the target in one rename. At no moment is the secret readable by others, not even for the instant
 * between creating a file and restricting it, and a process killed mid-write leaves the previous file or the next.
 */
public final class OwnerOnlyFiles {
    /** Hidden: a crash's leftover is not read as a certificate, whose names never start with a dot. */
    private static final String TEMPORARY_PREFIX = ".";
    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    private static final int BUFFER_BYTES = 64 * 1024;

    private OwnerOnlyFiles() {
    }

    /** Replaces {@code file} (or creates it, and its directories) with {@code content}, mode 0600. */
    public static void write(Path file, byte[] content) throws IOException {
        write(file, out -> out.write(content));
    }

    /**
     * Replaces {@code file} (or creates it, and its directories) with what {@code content} writes, mode 0600: a
     * large content (the replica's state) goes to the disk as it is made, never whole in memory.
     */
    public static void write(Path file, Content content) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, TEMPORARY_PREFIX + file.getFileName() + ".", ".tmp",
                ownerOnly(directory));
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    /** What a file is to hold, written to a stream that it must not close. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Mode 0600 from creation on; a file system without POSIX modes (not Linux) gets its default. */
    private static FileAttribute<?>[] ownerOnly(Path directory) {
        return directory.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE)}
                : new FileAttribute<?>[0];
    }
}
