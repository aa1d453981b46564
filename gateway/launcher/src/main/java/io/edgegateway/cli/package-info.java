/**
 * {@code bin/gateway}: {@code run}, {@code demo}, {@code check-config}, {@code plan}, {@code profiles} and the
 * field-engineer tools {@code scan} (which unit ids answer, and which profile fits each; the logic is in
 * {@link io.edgegateway.scan}) and {@code read} (one register range or COSEM object by hand).
 * {@link io.edgegateway.cli.GatewayMain} is the entry point.
 */
package io.edgegateway.cli;
