/**
 * {@code bin/gateway}: {@code run}, {@code demo}, {@code check-config}, {@code plan}, {@code profiles} and the
 * field-engineer tools. {@link io.edgegateway.cli.GatewayMain} is the entry point.
 */
package io.edgegateway.cli;
