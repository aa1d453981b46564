/**
 * The gateway's YAML config: what it reads ({@link io.edgegateway.config.GatewayConfig} and its parts) and the
 * loader that refuses a bad file before any device is touched, naming the file, the key and what is wrong
 * ({@link io.edgegateway.config.ConfigLoader}). Environment variables override file values
 * ({@code SERVER_PORT=8081} sets {@code server.port}; {@code __} stands for {@code -} in keys).
 */
package io.edgegateway.config;
