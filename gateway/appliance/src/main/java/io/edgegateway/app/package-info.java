/**
 * The running gateway, wired by hand: config → bus connections and schedulers → event hub → HTTP server
 * ({@link io.edgegateway.app.Gateway}). {@link io.edgegateway.app.BusConnector} is where protocol drivers are
 * attached to configured buses.
 */
package io.edgegateway.app;
