package io.swarmgate.testing;

import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/** The JDK's HTTP client, asking for HTTP/2 and trusting any certificate (the proxy's are self-made in tests). */
public final class Http2TestClient {
    private Http2TestClient() {
    }

    public static HttpClient create() {
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {new TrustingManager()}, new SecureRandom());
            SSLParameters parameters = new SSLParameters();
            parameters.setEndpointIdentificationAlgorithm(null);
            // The client offers h2 by ALPN only when its parameters name a version HTTP/2 allows.
            parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(tls)
                    .sslParameters(parameters).connectTimeout(Duration.ofSeconds(10)).build();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
