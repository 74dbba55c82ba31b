package io.swarmgate.bootstrap.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A node's processes: its dockerd, the containerd and shims it spawned (their command lines name the node's paths),
 * and its containers (in the node's cgroup). Found in /proc, since a hard kill must not rely on the node's own API.
 * Zombies are left out: they are dead already, and this machine's init reaps them late.
 */
final class NodeProcesses {
    private NodeProcesses() {
    }

    static List<ProcessHandle> of(int node) {
        String path = "swarmgate-lab/node" + node + "/";
        String cgroup = LabLayout.cgroupParent(node);
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.filter(entry -> entry.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(entry -> read(entry.resolve("cmdline")).contains(path)
                            || inCgroup(read(entry.resolve("cgroup")), cgroup))
                    .filter(entry -> !read(entry.resolve("status")).contains("\nState:\tZ"))
                    .map(entry -> ProcessHandle.of(Long.parseLong(entry.getFileName().toString())))
                    .flatMap(java.util.Optional::stream)
                    .filter(ProcessHandle::isAlive)
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** SIGKILL to each of them, as a machine losing power. */
    static int kill(int node) {
        List<ProcessHandle> processes = of(node);
        processes.forEach(ProcessHandle::destroyForcibly);
        return processes.size();
    }

    private static boolean inCgroup(String cgroups, String parent) {
        return cgroups.lines().anyMatch(line -> line.endsWith(":" + parent) || line.contains(":" + parent + "/"));
    }

    /** A process may end while it is read: then it has nothing to match. */
    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
