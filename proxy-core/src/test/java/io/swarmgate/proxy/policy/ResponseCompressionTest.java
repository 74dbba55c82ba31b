package io.swarmgate.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The answer is compressed with the route's first algorithm the client accepts, never for HEAD or a refusal. */
class ResponseCompressionTest {
    private final Compression gzipThenDeflate = new Compression(List.of("gzip", "deflate"), List.of());
    private final ResponseCompression policy = new ResponseCompression(gzipThenDeflate);

    @Test
    void compressesWithTheRoutesFirstAlgorithmTheClientAccepts() {
        TestRequest request = new TestRequest("GET", "a", "/").header("Accept-Encoding", "deflate, gzip;q=0.5");

        assertThat(policy.onRequest(request)).isSameAs(PolicyResult.PROCEED);

        assertThat(request.compressionAlgorithm).isEqualTo("gzip");
        assertThat(request.compression).isSameAs(gzipThenDeflate);
    }

    @Test
    void leavesTheAnswerAloneForAClientThatRefusesOrAHeadRequest() {
        TestRequest refuses = new TestRequest("GET", "a", "/").header("Accept-Encoding", "gzip;q=0, br");
        TestRequest silent = new TestRequest("GET", "a", "/");
        TestRequest head = new TestRequest("HEAD", "a", "/").header("Accept-Encoding", "gzip");

        policy.onRequest(refuses);
        policy.onRequest(silent);
        policy.onRequest(head);

        assertThat(refuses.compressionAlgorithm).isNull();
        assertThat(silent.compressionAlgorithm).isNull();
        assertThat(head.compressionAlgorithm).isNull();
    }
}
