package io.swarmgate.api.acme;

import io.netty.handler.codec.http.QueryStringEncoder;
import java.util.List;
import java.util.Map;

/**
 * What every replica needs to answer one validation: its type, the host validated, the token (HTTP-01's; empty for
 * TLS-ALPN-01) and the key authorization. A TLS-ALPN-01 certificate is derived from these by each replica, so no key
 * travels.
 */
public record ChallengeAnswer(ChallengeType type, String host, String token, String keyAuthorization) {
    /** The API path replicas receive answers on. */
    public static final String PATH = "/v1/docker-flow-proxy/acme/challenge";

    /** The request that hands this answer to a replica ({@code remove}: that withdraws it), never distributed again. */
    public String pathAndQuery(boolean remove) {
        QueryStringEncoder query = new QueryStringEncoder(PATH);
        query.addParam("type", type.id());
        query.addParam("host", host);
        if (!token.isEmpty()) {
            query.addParam("token", token);
        }
        query.addParam("keyAuthorization", keyAuthorization);
        if (remove) {
            query.addParam("remove", "true");
        }
        query.addParam("distribute", "false");
        return query.toString();
    }

    /** @throws IllegalArgumentException naming the parameter that is missing or invalid */
    public static ChallengeAnswer of(Map<String, List<String>> query) {
        ChallengeType type = ChallengeType.of(single(query, "type"));
        String token = type == ChallengeType.HTTP_01 ? single(query, "token") : "";
        return new ChallengeAnswer(type, single(query, "host"), token, single(query, "keyAuthorization"));
    }

    private static String single(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        if (values == null || values.size() != 1 || values.get(0).isEmpty()) {
            throw new IllegalArgumentException(name + ": missing (expected: one value)");
        }
        return values.get(0);
    }
}
