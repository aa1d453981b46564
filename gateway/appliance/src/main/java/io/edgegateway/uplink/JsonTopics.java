package io.edgegateway.uplink;

import io.edgegateway.hub.EventHub;
import io.edgegateway.hub.HubEvent;
import io.edgegateway.reading.ReadingJson;
import io.edgegateway.reading.StatusReport;
import io.edgegateway.uplink.mqtt.Outbound;

import jakarta.json.Json;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The JSON format (docs/fleet.md): {@code <prefix>/meters/<meterNo>/reading} with the documented reading and its
 * event id in {@code _id}; {@code <prefix>/meters/<meterNo>/status}, retained; {@code <prefix>/alerts}, every
 * alert state; {@code <prefix>/status}, retained,
 * online on connect and offline as the will.
 */
final class JsonTopics implements Wire {

    private final String prefix;
    private final String gatewayId;
    private final int qos;
    private final Clock clock;

    JsonTopics(String prefix, String gatewayId, int qos, Clock clock) {
        this.prefix = prefix;
        this.gatewayId = gatewayId;
        this.qos = qos;
        this.clock = clock;
    }

    @Override
    public Outbound will() {
        return retained(prefix + "/status", "{\"status\":\"offline\",\"gatewayId\":" + quoted(gatewayId) + "}");
    }

    @Override
    public List<Outbound> births(EventHub hub) {
        List<Outbound> out = new ArrayList<>();
        out.add(retained(prefix + "/status", "{\"status\":\"online\",\"gatewayId\":" + quoted(gatewayId)
                + ",\"timestamp\":\"" + ReadingJson.timestamp(clock.instant()) + "\"}"));
        out.addAll(caughtUp(hub));
        return out;
    }

    @Override
    public List<Outbound> event(HubEvent e, boolean historical) {
        return switch (e) {
            case HubEvent.Data d -> List.of(new Outbound(meterTopic(d.meterNo()) + "/reading",
                    bytes(ReadingJson.reading(d.reading(), Set.of(), "_id", d.id())), qos, false,
                    OptionalLong.of(d.id())));
            // A replayed status is not retained: it would stand as the meter's status over a newer one.
            case HubEvent.Status s -> List.of(status(s.report(), OptionalLong.of(s.id()), !historical));
            case HubEvent.Interval i -> List.of(new Outbound(meterTopic(i.meterNo()) + "/"
                    + i.entry().kind().eventName(), bytes(ReadingJson.profileEntry(i.entry(), false, "_id", i.id())),
                    qos, false, OptionalLong.of(i.id())));
            // One topic for every alert, so a fleet subscribes to alarms without knowing the meters.
            case HubEvent.AlertState a -> List.of(new Outbound(prefix + "/alerts", bytes(a.alert().json()), 1, false,
                    OptionalLong.of(a.id())));
        };
    }

    @Override
    public List<Outbound> caughtUp(EventHub hub) {
        List<Outbound> out = new ArrayList<>();
        for (String m : hub.meterNos()) {
            out.add(status(hub.status(m), OptionalLong.empty(), true));
        }
        return out;
    }

    private Outbound status(StatusReport r, OptionalLong id, boolean retain) {
        return new Outbound(meterTopic(r.meterNo()) + "/status", bytes(ReadingJson.status(r)), 1, retain, id);
    }

    @Override
    public Optional<String> commands() {
        return Optional.empty();
    }

    @Override
    public boolean asksForRebirth(String topic, byte[] payload) {
        return false;
    }

    private String meterTopic(String meterNo) {
        return prefix + "/meters/" + meterNo; // a meter number holds no / + # (the config's rule)
    }

    private Outbound retained(String topic, String json) {
        return new Outbound(topic, bytes(json), 1, true, OptionalLong.empty());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String quoted(String s) {
        return Json.createValue(s).toString();
    }
}
