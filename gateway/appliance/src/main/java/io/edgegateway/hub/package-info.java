/**
 * The event hub between polling and subscribers: on-change filtering against each point's deadband, gateway-wide
 * monotonic event ids, the latest snapshot per meter, a bounded replay buffer for {@code Last-Event-ID} resume,
 * and fan-out to subscribers through their own bounded queues (a slow subscriber never blocks publishing).
 */
package io.edgegateway.hub;
