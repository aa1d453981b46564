package io.edgegateway.uplink;

import io.edgegateway.alert.AlertWatch;
import io.edgegateway.hub.EventHub;
import io.edgegateway.hub.HubEvent;
import io.edgegateway.point.PointValue;
import io.edgegateway.reading.Alert;
import io.edgegateway.reading.MeterStatus;
import io.edgegateway.reading.Reading;
import io.edgegateway.sparkplug.DataType;
import io.edgegateway.sparkplug.Metric;
import io.edgegateway.sparkplug.MetricValue;
import io.edgegateway.sparkplug.PayloadCodec;
import io.edgegateway.sparkplug.SparkplugPayload;
import io.edgegateway.sparkplug.SparkplugTopic;
import io.edgegateway.sparkplug.SparkplugTopic.MessageType;
import io.edgegateway.uplink.mqtt.Outbound;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The gateway as a Sparkplug B edge node (docs/fleet.md): the node is the gateway, each meter a device named by its
 * meter number, each point a metric named by its display name with its unit in {@code engUnit}.
 *
 * <p>NBIRTH carries {@code bdSeq} and {@code Node Control/Rebirth}; NDEATH with the same {@code bdSeq} is the will.
 * A meter's first reading in a session is its DBIRTH with every point; later readings are DDATA with the changed
 * points only, or a fresh DBIRTH when a point appears that was not born (a poll group read later) or changes kind.
 * DISCONNECTED is a DDEATH, and the next reading a fresh DBIRTH. Replayed statuses send nothing: after a drain
 * {@link #caughtUp} says what is current. {@code seq} runs 0..255 over every message of the session but NDEATH,
 * NBIRTH being 0. Payloads carry the time they are sent; metrics the time they were read.
 *
 * <p>Alerts are node metrics, {@code Alerts/<meterNo>/<ruleId>/active|acknowledged|severity|value}, born in the
 * NBIRTH for every (meter, rule) pair and sent in NDATA as they change; an alert of a pair not born (a rule made
 * since) births the node again, and one of a pair that no longer exists (a rule deleted since) is not sent.
 */
final class SparkplugNode implements Wire {

    static final String REBIRTH = "Node Control/Rebirth";
    static final String BD_SEQ = "bdSeq";

    private final String group;
    private final String node;
    private final int bdSeq;
    private final int qos;
    private final Clock clock;
    private int seq;
    /** Meters born in this session, with the type each metric was born with. */
    private final Map<String, Map<String, DataType>> born = new HashMap<>();
    private final Supplier<List<AlertWatch.Slot>> alerts;
    /** The (meter, rule) pairs whose alert metrics the NBIRTH carried, as "meterNo/ruleId". */
    private final Set<String> bornAlerts = new HashSet<>();
    private EventHub hub;

    /**
     * @param bdSeq  this session's birth-death sequence number, 0..255, one more than the last session's
     * @param alerts every (meter, rule) pair and its open alert, born as node metrics
     */
    SparkplugNode(String group, String node, int bdSeq, int qos, Clock clock, Supplier<List<AlertWatch.Slot>> alerts) {
        this.group = group;
        this.node = node;
        this.bdSeq = bdSeq;
        this.qos = qos;
        this.clock = clock;
        this.alerts = alerts;
    }

    SparkplugNode(String group, String node, int bdSeq, int qos, Clock clock) {
        this(group, node, bdSeq, qos, clock, List::of);
    }

    int bdSeq() {
        return bdSeq;
    }

    @Override
    public Outbound will() {
        // The specification: NDEATH is QoS 1 and not retained, and carries no seq.
        SparkplugPayload p = new SparkplugPayload(clock.millis(), OptionalInt.empty(), List.of(bdSeqMetric()));
        return new Outbound(SparkplugTopic.node(group, MessageType.NDEATH, node).toString(), PayloadCodec.encode(p), 1,
                false, OptionalLong.empty());
    }

    @Override
    public List<Outbound> births(EventHub hub) {
        this.hub = hub;
        seq = 0;
        born.clear();
        bornAlerts.clear();
        long now = clock.millis();
        List<Outbound> out = new ArrayList<>();
        List<Metric> nodeMetrics = new ArrayList<>(List.of(bdSeqMetric(),
                Metric.of(REBIRTH, now, DataType.BOOLEAN, new MetricValue.Bool(false))));
        for (AlertWatch.Slot s : alerts.get()) {
            bornAlerts.add(s.meterNo() + "/" + s.ruleId());
            nodeMetrics.addAll(s.current().map(a -> alertMetrics(a, now, false))
                    .orElseGet(() -> alertMetrics(s.meterNo(), s.ruleId(), s.severity(), false, false, "", now,
                            false)));
        }
        out.add(message(SparkplugTopic.node(group, MessageType.NBIRTH, node), nodeMetrics, OptionalLong.empty()));
        for (String m : hub.meterNos()) {
            if (hub.status(m).status() != MeterStatus.DISCONNECTED) {
                hub.latest(m).ifPresent(r -> out.add(birth(r, OptionalLong.empty())));
            }
        }
        return out;
    }

    @Override
    public List<Outbound> event(HubEvent e, boolean historical) {
        return switch (e) {
            case HubEvent.Data d -> List.of(bornAsIs(d)
                    ? data(d.reading(), d.changed(), historical, d.id())
                    : birth(d.reading(), OptionalLong.of(d.id())));
            case HubEvent.Status s -> {
                if (historical || s.report().status() != MeterStatus.DISCONNECTED || born.remove(s.meterNo()) == null) {
                    yield List.of();
                }
                yield List.of(death(s.meterNo(), OptionalLong.of(s.id())));
            }
            // Profile rows would need metrics born for every column of every profile; JSON topics carry them.
            case HubEvent.Interval i -> List.of();
            // Node metrics, not the meter's: a meter DISCONNECTED is a dead device, and its status alert matters then.
            case HubEvent.AlertState a -> {
                String pair = a.meterNo() + "/" + a.alert().ruleId();
                if (!bornAlerts.contains(pair)) {
                    // A rule made after the birth: metrics not born may not be sent, so the node is born again. A
                    // pair that is gone (a replayed alert of a rule since deleted) would not be born again either:
                    // a rebirth per such event, for nothing. Its metrics were never born in this session: skipped.
                    boolean exists = alerts.get().stream().anyMatch(s -> pair.equals(s.meterNo() + "/" + s.ruleId()));
                    yield hub != null && exists ? births(hub) : List.of();
                }
                yield List.of(message(SparkplugTopic.node(group, MessageType.NDATA, node),
                        alertMetrics(a.alert(), a.alert().timestamp().toEpochMilli(), historical),
                        OptionalLong.of(a.id())));
            }
        };
    }

    /** {@code Alerts/<meterNo>/<ruleId>/active}, {@code .../acknowledged}, {@code .../severity}, {@code .../value}. */
    private static List<Metric> alertMetrics(Alert a, long t, boolean historical) {
        boolean open = a.state() != Alert.State.CLEARED;
        return alertMetrics(a.meterNo(), a.ruleId(), a.severity(), open, open && a.state() == Alert.State.ACKNOWLEDGED,
                a.value() == JsonValue.NULL ? "" : a.value() instanceof JsonString s ? s.getString()
                        : a.value().toString(), t, historical);
    }

    private static List<Metric> alertMetrics(String meterNo, String ruleId, Alert.Severity severity, boolean active,
                                             boolean acknowledged, String value, long t, boolean historical) {
        String base = "Alerts/" + meterNo + "/" + ruleId + "/";
        return List.of(
                new Metric(base + "active", t, DataType.BOOLEAN, new MetricValue.Bool(active), historical, Map.of()),
                new Metric(base + "acknowledged", t, DataType.BOOLEAN, new MetricValue.Bool(acknowledged), historical,
                        Map.of()),
                new Metric(base + "severity", t, DataType.STRING, new MetricValue.Text(severity.configName()),
                        historical, Map.of()),
                new Metric(base + "value", t, DataType.STRING, new MetricValue.Text(value), historical, Map.of()));
    }

    @Override
    public List<Outbound> caughtUp(EventHub hub) {
        List<Outbound> out = new ArrayList<>();
        for (String m : hub.meterNos()) {
            boolean down = hub.status(m).status() == MeterStatus.DISCONNECTED;
            if (down && born.remove(m) != null) {
                out.add(death(m, OptionalLong.empty()));
            } else if (!down) {
                hub.latest(m).ifPresent(r -> out.add(birth(r, OptionalLong.empty())));
            }
        }
        return out;
    }

    /** Whether every changed point of {@code d} was born, with the kind of value it has now. */
    private boolean bornAsIs(HubEvent.Data d) {
        Map<String, DataType> types = born.get(d.meterNo());
        if (types == null) {
            return false;
        }
        for (Reading.Entry e : d.reading().values().values()) {
            if (d.changed().contains(e.point().name()) && !(e.value() instanceof PointValue.Invalid)
                    && types.get(e.point().name()) != typeOf(e.value())) {
                return false;
            }
        }
        return true;
    }

    private Outbound death(String meterNo, OptionalLong id) {
        return message(SparkplugTopic.device(group, MessageType.DDEATH, node, meterNo), List.of(), id);
    }

    @Override
    public Optional<String> commands() {
        return Optional.of(SparkplugTopic.node(group, MessageType.NCMD, node).toString());
    }

    @Override
    public boolean asksForRebirth(String topic, byte[] payload) {
        try {
            return PayloadCodec.decode(payload).metric(REBIRTH)
                    .map(m -> m.value() instanceof MetricValue.Bool b && b.value()).orElse(false);
        } catch (IllegalArgumentException e) {
            return false; // not a Sparkplug payload: not a command the node answers
        }
    }

    /**
     * A DBIRTH: every point, never marked historical, since a birth is what the host takes as the device's
     * current state. The births sent on connecting carry the latest values, so the historical DDATA of a drain that
     * follows them fills the host's history without moving its current values back.
     */
    private Outbound birth(Reading r, OptionalLong id) {
        Map<String, DataType> types = new HashMap<>();
        List<Metric> metrics = new ArrayList<>();
        long t = r.timestamp().toEpochMilli();
        for (Reading.Entry e : r.values().values()) {
            DataType type = typeOf(e.value());
            types.put(e.point().name(), type);
            Map<String, String> props = e.point().unit().isEmpty() ? Map.of() : Map.of("engUnit", e.point().unit());
            metrics.add(new Metric(e.point().name(), t, type, valueOf(e.value()), false, props));
        }
        born.put(r.meterNo(), types);
        return message(SparkplugTopic.device(group, MessageType.DBIRTH, node, r.meterNo()), metrics, id);
    }

    private Outbound data(Reading r, Set<String> changed, boolean historical, long id) {
        Map<String, DataType> types = born.get(r.meterNo());
        List<Metric> metrics = new ArrayList<>();
        long t = r.timestamp().toEpochMilli();
        for (Reading.Entry e : r.values().values()) {
            String name = e.point().name();
            if (!changed.contains(name)) {
                continue;
            }
            DataType type = types.get(name); // born, with this kind of value (bornAsIs), or an invalid value now
            MetricValue v = e.value() instanceof PointValue.Invalid ? new MetricValue.Null() : valueOf(e.value());
            metrics.add(new Metric(name, t, type, v, historical, Map.of()));
        }
        return message(SparkplugTopic.device(group, MessageType.DDATA, node, r.meterNo()), metrics, OptionalLong.of(id));
    }

    private Outbound message(SparkplugTopic topic, List<Metric> metrics, OptionalLong id) {
        SparkplugPayload p = new SparkplugPayload(clock.millis(), OptionalInt.of(seq), metrics);
        seq = (seq + 1) % 256;
        return new Outbound(topic.toString(), PayloadCodec.encode(p), qos, false, id);
    }

    private Metric bdSeqMetric() {
        return Metric.of(BD_SEQ, clock.millis(), DataType.UINT64, new MetricValue.Int(bdSeq));
    }

    private static DataType typeOf(PointValue v) {
        return switch (v) {
            case PointValue.Number n -> DataType.DOUBLE;
            case PointValue.Flag f -> DataType.BOOLEAN;
            case PointValue.Text t -> DataType.STRING;
            case PointValue.Invalid i -> DataType.DOUBLE;
        };
    }

    private static MetricValue valueOf(PointValue v) {
        return switch (v) {
            case PointValue.Number n -> new MetricValue.Real(n.value().doubleValue());
            case PointValue.Flag f -> new MetricValue.Bool(f.on());
            case PointValue.Text t -> new MetricValue.Text(t.text());
            case PointValue.Invalid i -> new MetricValue.Null();
        };
    }
}
