package io.edgegateway.uplink;

import io.edgegateway.hub.EventHub;
import io.edgegateway.hub.HubEvent;
import io.edgegateway.uplink.mqtt.Outbound;

import java.util.List;
import java.util.Optional;

/**
 * How the uplink puts events on MQTT: topics, payloads, births and the will. One instance per MQTT session,
 * made just before connecting.
 */
sealed interface Wire permits JsonTopics, SparkplugNode {

    /** The broker publishes this if the gateway vanishes without disconnecting. */
    Outbound will();

    /** What a (re)connected gateway says first: that it is online, and each meter's state. */
    List<Outbound> births(EventHub hub);

    /**
     * The messages for one event (none for events this format does not carry).
     *
     * @param historical replayed after an outage, not live: it goes to the broker's history, never as current state
     */
    List<Outbound> event(HubEvent e, boolean historical);

    /**
     * What the format says once a backlog was sent: the current state again, since the replayed events described
     * the past (JSON: each meter's status, retained; Sparkplug: a DBIRTH with current values, or a DDEATH).
     */
    List<Outbound> caughtUp(EventHub hub);

    /** A topic filter for commands to the gateway, if the format has any. */
    Optional<String> commands();

    /** Whether a message on {@link #commands()} asks for births again. */
    boolean asksForRebirth(String topic, byte[] payload);
}
