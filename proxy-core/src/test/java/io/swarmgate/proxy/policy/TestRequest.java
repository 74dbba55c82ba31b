package io.swarmgate.proxy.policy;

import io.netty.bootstrap.Bootstrap;
import io.netty.handler.codec.http.HttpMethod;
import io.swarmgate.proxy.upstream.Backend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A request as a policy sees it, with the changes policies make to it kept for the test to read. */
final class TestRequest implements PolicyRequest {
    private final HttpMethod method;
    private final String host;
    private String path;
    private final String query;
    private final Map<String, String> headers = new LinkedHashMap<>();
    final List<String> removed = new ArrayList<>();
    final List<String> added = new ArrayList<>();
    final List<Runnable> ended = new ArrayList<>();
    boolean secure;
    boolean clientCertificateVerified;
    String clientAddress = "10.0.7.21";
    long contentLength = -1;
    long bodyLimit;
    Duration backendTimeout;
    Duration tunnelTimeout;
    Compression compression;
    String compressionAlgorithm;
    HeaderEdits answerEdits = HeaderEdits.NONE;
    Backend backend;
    Backend mirror;

    TestRequest(String method, String host, String target) {
        this.method = HttpMethod.valueOf(method);
        this.host = host;
        int question = target.indexOf('?');
        this.path = question < 0 ? target : target.substring(0, question);
        this.query = question < 0 ? null : target.substring(question + 1);
    }

    TestRequest contentLength(long length) {
        contentLength = length;
        return this;
    }

    TestRequest header(String name, String value) {
        headers.put(name.toLowerCase(Locale.ROOT), value);
        return this;
    }

    @Override
    public HttpMethod method() {
        return method;
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
        return secure;
    }

    @Override
    public boolean clientCertificateVerified() {
        return clientCertificateVerified;
    }

    @Override
    public int localPort() {
        return 80;
    }

    @Override
    public void onEnd(Runnable callback) {
        ended.add(callback);
    }

    @Override
    public Bootstrap connector() {
        throw new UnsupportedOperationException("no policy under a unit test asks a service");
    }

    @Override
    public String clientAddress() {
        return clientAddress;
    }

    @Override
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public long contentLength() {
        return contentLength;
    }

    @Override
    public void limitBody(long maxBytes) {
        bodyLimit = maxBytes;
    }

    @Override
    public void backendTimeout(Duration timeout) {
        backendTimeout = timeout;
    }

    @Override
    public void tunnelTimeout(Duration timeout) {
        tunnelTimeout = timeout;
    }

    @Override
    public void compressAnswer(Compression types, String algorithm) {
        compression = types;
        compressionAlgorithm = algorithm;
    }

    @Override
    public void backend(Backend variant) {
        backend = variant;
    }

    @Override
    public void mirror(Backend copyTo) {
        mirror = copyTo;
    }

    @Override
    public void editAnswer(HeaderEdits edits) {
        answerEdits = answerEdits.then(edits);
    }

    @Override
    public void path(String newPath) {
        path = newPath;
    }

    @Override
    public void removeHeader(String name) {
        removed.add(name);
    }

    @Override
    public void addHeader(String name, String value) {
        added.add(name + ": " + value);
    }
}
