package io.swarmgate.proxy.policy;

/** {@code verifyClientSsl}: a request without a verified client certificate ({@code CA_FILE}) gets 403. */
public final class ClientCertificateRequired implements RoutePolicy {
    private static final LocalResponse FORBIDDEN = LocalResponse.of(403, "A verified client certificate is required.");

    @Override
    public PolicyResult onRequest(PolicyRequest request) {
        return request.clientCertificateVerified() ? PolicyResult.PROCEED : FORBIDDEN;
    }
}
