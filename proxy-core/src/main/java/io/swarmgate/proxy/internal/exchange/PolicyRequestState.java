package io.swarmgate.proxy.internal.exchange;

import io.netty.bootstrap.Bootstrap;
import io.netty.handler.codec.http.HttpMethod;
import io.swarmgate.proxy.internal.head.ClientRequestHead;
import io.swarmgate.proxy.policy.Compression;
import io.swarmgate.proxy.policy.HeaderEdits;
import io.swarmgate.proxy.policy.PolicyRequest;
import io.swarmgate.proxy.tls.CertificateStore;
import io.swarmgate.proxy.upstream.Backend;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** A request head seen through {@link PolicyRequest}, collecting what its route's policies change. */
final class PolicyRequestState implements PolicyRequest {
    private static final byte[][] NO_NAMES = new byte[0][];

    private final ClientRequestHead head;
    private final String host;
    private final String query;
    private final ClientConnection client;
    private final CertificateStore certificates;
    /** Read when a policy asks: finding it behind trusted proxies takes a walk through X-Forwarded-For. */
    private @Nullable String clientAddress;
    private final Supplier<Bootstrap> connector;
    private final List<Runnable> atEnd;
    private String path;
    private boolean pathChanged;
    private List<byte[]> removed;
    private List<byte[]> added;
    private long bodyLimit;
    /** The timeouts policies set, or 0 for the server's. */
    private long backendTimeoutNanos;
    private long tunnelTimeoutNanos;
    private @Nullable Compression compression;
    private HeaderEdits answerEdits = HeaderEdits.NONE;
    private @Nullable Backend backend;
    private @Nullable Backend mirror;
    private @Nullable String compressionAlgorithm;

    /** @param target the origin-form target the route matched */
    PolicyRequestState(ClientRequestHead head, String host, String target, ClientConnection client,
                       CertificateStore certificates, Supplier<Bootstrap> connector, List<Runnable> atEnd) {
        this.head = head;
        this.connector = connector;
        this.atEnd = atEnd;
        this.certificates = certificates;
        this.host = host;
        this.client = client;
        int question = target.indexOf('?');
        this.path = question < 0 ? target : target.substring(0, question);
        this.query = question < 0 ? null : target.substring(question + 1);
    }

    @Override
    public HttpMethod method() {
        return head.method();
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String query() {
        return query;
    }

    @Override
    public boolean secure() {
        return client.secure();
    }

    @Override
    public boolean clientCertificateVerified() {
        return client.clientCertificateVerified(certificates);
    }

    @Override
    public int localPort() {
        return client.localPort();
    }

    @Override
    public String clientAddress() {
        if (clientAddress == null) {
            clientAddress = client.clientAddress(head);
        }
        return clientAddress;
    }

    @Override
    public String header(String name) {
        return head.header(name);
    }

    @Override
    public Bootstrap connector() {
        return connector.get();
    }

    @Override
    public void onEnd(Runnable callback) {
        atEnd.add(callback);
    }

    @Override
    public long contentLength() {
        return head.contentLength();
    }

    @Override
    public void limitBody(long maxBytes) {
        bodyLimit = maxBytes;
    }

    @Override
    public void backendTimeout(Duration timeout) {
        backendTimeoutNanos = timeout.toNanos();
    }

    @Override
    public void tunnelTimeout(Duration timeout) {
        tunnelTimeoutNanos = timeout.toNanos();
    }

    @Override
    public void backend(Backend variant) {
        backend = variant;
    }

    /** The backend a policy chose instead of the route's, or {@code null}. */
    @Nullable Backend backend() {
        return backend;
    }

    @Override
    public void mirror(Backend copyTo) {
        mirror = copyTo;
    }

    /** The backend a policy wants a copy sent to, or {@code null}. */
    @Nullable Backend mirror() {
        return mirror;
    }

    @Override
    public void editAnswer(HeaderEdits edits) {
        answerEdits = answerEdits.then(edits);
    }

    /** The edits policies made to this request's answer, besides the route's. */
    HeaderEdits answerEdits() {
        return answerEdits;
    }

    @Override
    public void compressAnswer(Compression types, String algorithm) {
        compression = types;
        compressionAlgorithm = algorithm;
    }

    @Override
    public void path(String path) {
        this.path = path;
        pathChanged = true;
    }

    @Override
    public void removeHeader(String name) {
        if (removed == null) {
            removed = new ArrayList<>(2);
        }
        removed.add(name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        if (added != null) {
            // A field added by an earlier policy goes too: remove-then-add is how a policy sets a field.
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            added.removeIf(line -> new String(line, 0, Math.min(line.length, prefix.length()),
                    StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT).equals(prefix));
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (added == null) {
            added = new ArrayList<>(2);
        }
        added.add((name + ": " + value + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The target to forward, or {@code null} when the policies kept the path. */
    String changedTarget() {
        if (!pathChanged) {
            return null;
        }
        return query == null ? path : path + "?" + query;
    }

    /** The body limit a policy set, or 0 for none. */
    long bodyLimit() {
        return bodyLimit;
    }

    long backendTimeoutNanos() {
        return backendTimeoutNanos;
    }

    long tunnelTimeoutNanos() {
        return tunnelTimeoutNanos;
    }

    @Nullable Compression compression() {
        return compression;
    }

    @Nullable String compressionAlgorithm() {
        return compressionAlgorithm;
    }

    byte[][] removedNames() {
        return removed == null ? NO_NAMES : removed.toArray(byte[][]::new);
    }

    List<byte[]> addedLines() {
        return added == null ? List.of() : added;
    }
}
