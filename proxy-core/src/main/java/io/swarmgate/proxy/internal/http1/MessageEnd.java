package io.swarmgate.proxy.internal.http1;

/** Emitted after the last body bytes of a message (right after its head when it has no body). */
public final class MessageEnd {
    public static final MessageEnd INSTANCE = new MessageEnd();

    private MessageEnd() {
    }

    @Override
    public String toString() {
        return "MessageEnd";
    }
}
