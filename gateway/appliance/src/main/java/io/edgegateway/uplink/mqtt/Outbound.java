package io.edgegateway.uplink.mqtt;

import java.util.OptionalLong;

/**
 * One MQTT message to publish.
 *
 * @param eventId the hub event it carries, sent as the MQTT 5 user property {@code event-id}; empty for births,
 *                deaths and the gateway's own status
 */
public record Outbound(String topic, byte[] payload, int qos, boolean retain, OptionalLong eventId) {
}
