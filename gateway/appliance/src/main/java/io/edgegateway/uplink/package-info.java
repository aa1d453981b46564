/**
 * The fleet uplink (docs/fleet.md): events from the hub and, after an outage, from the store, published to an MQTT
 * broker in id order at QoS 1, with a persisted cursor of what the broker acknowledged (store-and-forward, at least
 * once). {@code Wire} says how they look: JSON topics or a Sparkplug B edge node. The broker connection is in
 * {@code uplink.mqtt}. The uplink never blocks polling, the store or SSE: it reads the hub through a bounded queue
 * and, when that overflows, from the store.
 */
package io.edgegateway.uplink;
