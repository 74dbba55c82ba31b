/** The HTTP-01 challenge answers the proxy serves on its plain-HTTP ports while a certificate is ordered. */
@NullMarked
package io.swarmgate.proxy.acme;

import org.jspecify.annotations.NullMarked;
