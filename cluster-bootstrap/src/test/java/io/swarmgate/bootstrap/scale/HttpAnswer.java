package io.swarmgate.bootstrap.scale;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One GET as a user sees it: "status body" (trimmed), or the failure in words. */
public final class HttpAnswer {
    private HttpAnswer() {
    }

    public static String get(HttpClient http, URI uri, Duration timeout) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body().trim();
        } catch (IOException e) {
            return "failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
