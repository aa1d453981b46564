package io.edgegateway.uplink.mqtt;

import java.util.OptionalLong;

/**
 * One MQTT message to publish.
 *
 * @param eventId the hub event it carries, sent as the MQTT 5 user property {@code event-id}; empty for births,
 *                deaths and the gateway's own status
 */
public record Outbound(String topic, byte[] payload, int qos, boolean retain, OptionalLong eventId) {

    /** Without the payload's bytes: a record would print the array's identity. */
    @Override
    public String toString() {
        return "Outbound[" + topic + ", " + payload.length + " bytes, qos " + qos + (retain ? ", retained" : "")
                + eventId.stream().mapToObj(id -> ", event " + id).findFirst().orElse("") + "]";
    }
}
