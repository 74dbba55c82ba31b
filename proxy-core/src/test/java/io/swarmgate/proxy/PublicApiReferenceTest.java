package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/reference/embedding.md} lists proxy-core's public API, package by package: every package outside
 * {@code internal} has its row, and each row names exactly the public types its package declares, so the page an
 * embedder reads cannot drift from the code.
 */
class PublicApiReferenceTest {
    private static final Path PAGE = Path.of("..", "docs", "reference", "embedding.md");
    private static final Path SOURCES = Path.of("src", "main", "java");
    private static final Pattern ROW = Pattern.compile("^\\| `(io\\.swarmgate\\.[a-z.]+)` \\|(.*)\\|$", Pattern.MULTILINE);
    private static final Pattern TYPE_NAME = Pattern.compile("`([A-Z][A-Za-z0-9]*)");
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^public (?:final |abstract |sealed |non-sealed )*(?:class|interface|record|enum|@interface) ",
            Pattern.MULTILINE);

    @Test
    void everyPublicPackageHasARowNamingExactlyItsPublicTypes() throws IOException {
        Map<String, Set<String>> documented = documented();
        Map<String, Set<String>> declared = declared();

        assertThat(documented.keySet()).containsExactlyInAnyOrderElementsOf(declared.keySet());
        declared.forEach((pkg, types) -> assertThat(documented.get(pkg)).as(pkg).isEqualTo(types));
    }

    private static Map<String, Set<String>> documented() throws IOException {
        Map<String, Set<String>> rows = new TreeMap<>();
        Matcher row = ROW.matcher(Files.readString(PAGE));
        while (row.find()) {
            Set<String> names = new TreeSet<>();
            Matcher name = TYPE_NAME.matcher(row.group(2));
            while (name.find()) {
                names.add(name.group(1));
            }
            rows.put(row.group(1), names);
        }
        return rows;
    }

    /** The public top-level types of each package of proxy-core's main sources, {@code internal} ones aside. */
    private static Map<String, Set<String>> declared() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> !file.getFileName().toString().equals("package-info.java"))
                    .filter(file -> !SOURCES.relativize(file).toString().contains("internal"))
                    .filter(PublicApiReferenceTest::declaresPublicType)
                    .collect(Collectors.groupingBy(
                            file -> SOURCES.relativize(file.getParent()).toString().replace('/', '.'), TreeMap::new,
                            Collectors.mapping(file -> file.getFileName().toString().replace(".java", ""),
                                    Collectors.toCollection(TreeSet::new))));
        }
    }

    private static boolean declaresPublicType(Path file) {
        try {
            return PUBLIC_TYPE.matcher(Files.readString(file)).find();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
