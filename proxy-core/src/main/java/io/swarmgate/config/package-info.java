/** The configuration model: DFP's service and destination specifications, checked and compiled into routes. */
@NullMarked
package io.swarmgate.config;

import org.jspecify.annotations.NullMarked;
