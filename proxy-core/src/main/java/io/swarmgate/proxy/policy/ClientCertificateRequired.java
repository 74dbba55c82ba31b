package io.swarmgate.proxy.policy;

/** {@code verifyClientSsl}: a request without a verified client certificate ({@code CA_FILE}) gets 403. */
public final class ClientCertificateRequired implements RequestFilter {
    private static final LocalResponse FORBIDDEN = LocalResponse.of(403, "A verified client certificate is required.");

    @Override
    public LocalResponse filter(FilteredRequest request) {
        return request.clientCertificateVerified() ? null : FORBIDDEN;
    }
}
