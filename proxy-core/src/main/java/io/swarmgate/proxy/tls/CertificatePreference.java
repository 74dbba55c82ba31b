package io.swarmgate.proxy.tls;

import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * The order of certificates, as Docker Flow Proxy's {@code PREFERRED_CERTIFICATE}: certificates whose name matches one
 * of the globs come first, in the order of the globs, then the others by name. The first one is the default (served
 * when SNI names no certificate), and of two certificates for the same host the earlier one is served.
 */
public final class CertificatePreference implements Comparator<ServerCertificate> {
    /** Every certificate by name. */
    public static final CertificatePreference BY_NAME = new CertificatePreference(List.of());

    private final List<PathMatcher> globs;

    private CertificatePreference(List<PathMatcher> globs) {
        this.globs = globs;
    }

    /**
     * From a comma-separated list of globs ({@code *}, {@code ?}, {@code [..]}, {@code {a,b}} as file names match).
     *
     * @throws IllegalArgumentException naming the glob that is not one
     */
    public static CertificatePreference of(String commaSeparatedGlobs) {
        List<PathMatcher> globs = new ArrayList<>();
        for (String glob : commaSeparatedGlobs.split(",")) {
            String trimmed = glob.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            try {
                globs.add(FileSystems.getDefault().getPathMatcher("glob:" + trimmed));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("'" + trimmed + "' is not a glob: " + e.getDescription(), e);
            }
        }
        return new CertificatePreference(List.copyOf(globs));
    }

    @Override
    public int compare(ServerCertificate a, ServerCertificate b) {
        int byGlob = Integer.compare(rank(a.name()), rank(b.name()));
        return byGlob != 0 ? byGlob : a.name().compareTo(b.name());
    }

    private int rank(String name) {
        Path path;
        try {
            path = Path.of(name);
        } catch (InvalidPathException e) {
            return globs.size();
        }
        for (int i = 0; i < globs.size(); i++) {
            if (globs.get(i).matches(path)) {
                return i;
            }
        }
        return globs.size();
    }
}
