package io.swarmgate.proxy.policy;

import java.util.List;
import java.util.Objects;

/**
 * {@code addReqHeader}, {@code setReqHeader}, {@code delReqHeader}: header edits on the forwarded request, with
 * values that may hold HAProxy's {@code %[src]}, {@code %[dst_port]} and {@code %[req.hdr(Name)]}, each under an
 * optional {@link TlsCondition}.
 */
public final class RequestHeaderRule implements RoutePolicy {
    /** What a rule does to its header. */
    public enum Action { ADD, SET, DELETE }

    /** One edit, made when its condition holds; {@code value} is ignored for {@link Action#DELETE}. */
    public record Edit(Action action, String name, HeaderTemplate value, TlsCondition condition) {
        public Edit {
            HeaderNames.check(name);
            Objects.requireNonNull(condition, "condition");
        }
    }

    private final List<Edit> edits;

    public RequestHeaderRule(List<Edit> edits) {
        this.edits = List.copyOf(edits);
    }

    @Override
    public PolicyResult onRequest(PolicyRequest request) {
        for (Edit edit : edits) {
            if (!edit.condition().holds(request.secure())) {
                continue;
            }
            if (edit.action() != Action.ADD) {
                request.removeHeader(edit.name());
            }
            if (edit.action() != Action.DELETE) {
                request.addHeader(edit.name(), edit.value().render(request));
            }
        }
        return PolicyResult.PROCEED;
    }
}
