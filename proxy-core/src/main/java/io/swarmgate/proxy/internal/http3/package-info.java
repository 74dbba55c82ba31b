/**
 * HTTP/3 over QUIC on the TLS ports' UDP side: the QUIC codec with its limits and certificates, and the header lists'
 * HTTP/2 form, which the streams share with HTTP/2's (the front end is {@code front.Http3Stream}).
 */
@NullMarked
package io.swarmgate.proxy.internal.http3;

import org.jspecify.annotations.NullMarked;
