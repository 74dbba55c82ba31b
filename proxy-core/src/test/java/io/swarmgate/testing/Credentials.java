package io.swarmgate.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Basic-auth credentials as a request header line. */
public final class Credentials {
    private Credentials() {
    }

    /** {@code Authorization: Basic …} with its CRLF. */
    public static String basicHeader(String user, String password) {
        return "Authorization: Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)) + "\r\n";
    }
}
