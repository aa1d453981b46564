/**
 * The HTTP surface other than streams: access tokens and CORS checked on every request
 * ({@link io.edgegateway.http.AccessGuard}, {@link io.edgegateway.http.CorsPolicy}), the REST polling fallback
 * ({@link io.edgegateway.http.MeterEndpoints}), {@code /health} and Prometheus {@code /metrics}
 * ({@link io.edgegateway.http.OpsEndpoints}).
 */
package io.edgegateway.http;
