/**
 * The gateway's YAML config: what it reads ({@link io.edgegateway.config.GatewayConfig} and its parts) and the
 * loader that refuses a bad file before any device is touched, naming the file, the key and what is wrong
 * ({@link io.edgegateway.config.ConfigLoader}). Environment variables override file values
 * ({@code SERVER_PORT=8081} sets {@code server.port}; {@code _DASH_} stands for {@code -} in keys, as in
 * {@code SSE_MAX_DASH_CLIENTS}: Helidon's mapping).
 */
package io.edgegateway.config;
