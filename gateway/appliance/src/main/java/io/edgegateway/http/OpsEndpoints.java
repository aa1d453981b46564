package io.edgegateway.http;

import io.edgegateway.encoding.Gzip;
import io.edgegateway.hub.EventHub;
import io.edgegateway.poll.BusStats;
import io.edgegateway.poll.DeviceStats;
import io.edgegateway.push.PushCounts;
import io.edgegateway.push.PushHealth;
import io.edgegateway.push.Refusal;
import io.edgegateway.reading.MeterStatus;
import io.edgegateway.reading.ReadingJson;
import io.edgegateway.store.StoreHealth;
import io.edgegateway.uplink.UplinkHealth;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** {@code GET /health} (per-bus summary as JSON) and {@code GET /metrics} (Prometheus text format 0.0.4). */
public final class OpsEndpoints implements HttpService {

    private final Supplier<List<BusStats>> stats;
    private final EventHub hub;
    private final StreamStats clients;
    private final Supplier<StoreHealth> store;
    private final Supplier<UplinkHealth> uplink;
    private final Supplier<PushHealth> push;
    private final Clock clock;

    public OpsEndpoints(Supplier<List<BusStats>> stats, EventHub hub, StreamStats clients, Supplier<StoreHealth> store,
                        Supplier<UplinkHealth> uplink, Clock clock) {
        this(stats, hub, clients, store, uplink, () -> PushHealth.DISABLED, clock);
    }

    /** @param push the DLMS push listener's counters, {@link PushHealth#DISABLED} without {@code dlms-push} */
    public OpsEndpoints(Supplier<List<BusStats>> stats, EventHub hub, StreamStats clients, Supplier<StoreHealth> store,
                        Supplier<UplinkHealth> uplink, Supplier<PushHealth> push, Clock clock) {
        this.stats = stats;
        this.hub = hub;
        this.clients = clients;
        this.store = store;
        this.uplink = uplink;
        this.push = push;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health", this::health).get("/metrics", this::metrics);
    }

    private static Map<MeterStatus, Integer> count(BusStats b) {
        Map<MeterStatus, Integer> n = new EnumMap<>(MeterStatus.class);
        for (MeterStatus s : MeterStatus.values()) {
            n.put(s, 0);
        }
        for (DeviceStats d : b.devices()) {
            n.merge(d.status(), 1, Integer::sum);
        }
        return n;
    }

    /**
     * UP when every device is connected, the store writes and the uplink (if any) is connected; DOWN when no device
     * is connected; DEGRADED between (or when the store cannot keep up or cannot write, or the broker is away).
     * Always 200: the gateway itself runs.
     */
    private void health(ServerRequest req, ServerResponse res) {
        List<BusStats> all = stats.get();
        int devices = 0;
        int connected = 0;
        JsonArrayBuilder buses = Json.createArrayBuilder();
        for (BusStats b : all) {
            Map<MeterStatus, Integer> n = count(b);
            devices += b.devices().size();
            connected += n.get(MeterStatus.CONNECTED);
            JsonArrayBuilder heldUp = Json.createArrayBuilder();
            for (DeviceStats d : b.devices()) {
                if (d.neighbourOverruns() > 0) {
                    heldUp.add(Json.createObjectBuilder().add("meterNo", d.meterNo())
                            .add("neighbourOverruns", d.neighbourOverruns()).add("by", d.heldUpBy()));
                }
            }
            buses.add(Json.createObjectBuilder()
                    .add("name", b.name())
                    .add("type", b.type())
                    .add("devices", b.devices().size())
                    .add("connected", n.get(MeterStatus.CONNECTED))
                    .add("disconnected", n.get(MeterStatus.DISCONNECTED))
                    .add("error", n.get(MeterStatus.ERROR))
                    .add("polls", b.polls())
                    .add("errors", b.errorCount())
                    .add("overruns", b.overruns())
                    .add("heldUp", heldUp)
                    .add("connects", b.connects())
                    .add("lateRepliesDiscarded", b.lateRepliesDiscarded())
                    .add("averageLatencyMs", b.polls() == 0 ? 0 : Math.round(b.latencySumSeconds() / b.polls() * 10000) / 10.0));
        }
        StoreHealth sh = store.get();
        boolean storeOk = sh.state() == StoreHealth.State.OK || sh.state() == StoreHealth.State.DISABLED;
        UplinkHealth uh = uplink.get();
        boolean uplinkOk = uh.state() == UplinkHealth.State.CONNECTED || uh.state() == UplinkHealth.State.DISABLED;
        String status = connected == 0 && devices > 0 ? "DOWN"
                : connected == devices && storeOk && uplinkOk ? "UP" : "DEGRADED";
        var storage = Json.createObjectBuilder()
                .add("status", sh.state().name())
                .add("path", sh.path())
                .add("queued", sh.queued())
                .add("committedId", sh.committedId())
                .add("dropped", sh.dropped())
                .add("fileBytes", sh.fileBytes());
        if (sh.reason() != null) {
            storage.add("reason", sh.reason());
        }
        JsonReply.send(req, res, Status.OK_200, Json.createObjectBuilder()
                .add("status", status)
                .add("timestamp", ReadingJson.timestamp(clock.instant()))
                .add("devices", devices)
                .add("connected", connected)
                .add("sseClients", clients.connected())
                .add("storage", storage)
                .add("uplink", uplink(uh))
                .add("push", push(push.get()))
                .add("buses", buses)
                .build().toString());
    }

    private static jakarta.json.JsonObjectBuilder uplink(UplinkHealth u) {
        var o = Json.createObjectBuilder().add("status", u.state().name());
        if (u.state() == UplinkHealth.State.DISABLED) {
            return o;
        }
        o.add("url", u.url()).add("format", u.format());
        if (u.reason() != null) {
            o.add("reason", u.reason());
        }
        return o.add("connects", u.connects())
                .add("published", u.published())
                .add("acknowledged", u.acknowledged())
                .add("backlog", u.backlog())
                .add("oldestUnsentSeconds", Math.round(u.oldestUnsentSeconds() * 10) / 10.0)
                .add("cursor", u.cursor())
                .add("gaps", u.gaps());
    }

    /** Pushes do not change the status: a meter pushes when it likes, so silence is no fault. */
    private static jakarta.json.JsonObjectBuilder push(PushHealth p) {
        var o = Json.createObjectBuilder().add("status", p.state().name());
        if (p.state() == PushHealth.State.DISABLED) {
            return o;
        }
        o.add("bind", p.bind()).add("port", p.port()).add("openConnections", p.openConnections())
                .add("connections", p.connections()).add("connectionsRefused", p.connectionsRefused());
        pushCounts(o, p.total());
        JsonArrayBuilder meters = Json.createArrayBuilder();
        for (PushHealth.MeterPushes m : p.meters()) {
            meters.add(pushCounts(Json.createObjectBuilder().add("meterNo", m.meterNo())
                    .add("systemTitle", m.systemTitle()), m.counts()));
        }
        return o.add("meters", meters);
    }

    private static jakarta.json.JsonObjectBuilder pushCounts(jakarta.json.JsonObjectBuilder o, PushCounts c) {
        var refused = Json.createObjectBuilder();
        for (Refusal r : Refusal.values()) {
            refused.add(r.label(), c.refused(r));
        }
        o.add("accepted", c.accepted()).add("refused", refused);
        c.lastPush().ifPresentOrElse(t -> o.add("lastPush", ReadingJson.timestamp(t)), () -> o.addNull("lastPush"));
        return o;
    }

    private void metrics(ServerRequest req, ServerResponse res) {
        StringBuilder m = new StringBuilder(4096);
        List<BusStats> all = stats.get();
        help(m, "gateway_polls_total", "counter", "Poll attempts per bus.");
        all.forEach(b -> perBus(m, "gateway_polls_total", b, b.polls()));
        help(m, "gateway_poll_errors_total", "counter", "Failed polls per bus and kind.");
        all.forEach(b -> b.errors().forEach((kind, n) -> labelled(m, "gateway_poll_errors_total",
                "bus=\"" + label(b.name()) + "\",kind=\"" + kind + "\"", n)));
        help(m, "gateway_poll_latency_seconds", "summary", "Duration of polls per bus.");
        all.forEach(b -> {
            perBus(m, "gateway_poll_latency_seconds_sum", b, seconds(b.latencySumSeconds()));
            perBus(m, "gateway_poll_latency_seconds_count", b, b.polls());
        });
        help(m, "gateway_poll_latency_seconds_max", "gauge", "Longest poll per bus since start.");
        all.forEach(b -> perBus(m, "gateway_poll_latency_seconds_max", b, seconds(b.latencyMaxSeconds())));
        help(m, "gateway_poll_overruns_total", "counter", "Poll slots skipped because the bus was busy.");
        all.forEach(b -> perBus(m, "gateway_poll_overruns_total", b, b.overruns()));
        help(m, "gateway_device_overruns_total", "counter",
                "Poll slots a device skipped: cause own (its poll outlasted them) or neighbour (another device held the line).");
        all.forEach(b -> b.devices().forEach(d -> {
            String labels = "bus=\"" + label(b.name()) + "\",meter=\"" + label(d.meterNo()) + "\",cause=";
            labelled(m, "gateway_device_overruns_total", labels + "\"own\"", d.overruns());
            labelled(m, "gateway_device_overruns_total", labels + "\"neighbour\"", d.neighbourOverruns());
        }));
        help(m, "gateway_line_connects_total", "counter", "Connections (or port opens) of each bus's shared line.");
        all.forEach(b -> perBus(m, "gateway_line_connects_total", b, b.connects()));
        help(m, "gateway_late_replies_discarded_total", "counter",
                "Answers that came after their request timed out, dropped by transaction id without reconnecting.");
        all.forEach(b -> perBus(m, "gateway_late_replies_discarded_total", b, b.lateRepliesDiscarded()));
        help(m, "gateway_retries_deferred_total", "counter", "Retries of failing devices held back to protect the bus.");
        all.forEach(b -> perBus(m, "gateway_retries_deferred_total", b, b.deferredRetries()));
        help(m, "gateway_devices", "gauge", "Devices per bus and status.");
        all.forEach(b -> count(b).forEach((st, n) -> labelled(m, "gateway_devices",
                "bus=\"" + label(b.name()) + "\",status=\"" + st.name() + "\"", n)));
        sample(m, "gateway_events_published_total", "counter", "Events published to subscribers (changes and status transitions).", hub.publishedCount());
        sample(m, "gateway_readings_unchanged_total", "counter", "Polls not published because nothing changed beyond deadbands.", hub.suppressedCount());
        sample(m, "gateway_sse_clients", "gauge", "Connected SSE clients.", clients.connected());
        sample(m, "gateway_sse_compressed_streams", "gauge", "SSE streams being gzipped now.", clients.compressedStreams());
        sample(m, "gateway_sse_events_sent_total", "counter", "SSE events written to clients.", clients.eventsSent());
        sample(m, "gateway_sse_clients_refused_total", "counter", "Connections refused at the client limit.", clients.refused());
        help(m, "gateway_sse_clients_dropped_total", "counter", "Clients cut off, by reason.");
        for (String reason : List.of("slow", "stalled")) {
            labelled(m, "gateway_sse_clients_dropped_total", "reason=\"" + reason + "\"",
                    clients.dropped().getOrDefault(reason, 0L));
        }
        StoreHealth sh = store.get();
        states(m, "gateway_store_state", "Reading store state", StoreHealth.State.values(), sh.state());
        sample(m, "gateway_store_queued_events", "gauge", "Events waiting to be written to the store.", sh.queued());
        sample(m, "gateway_store_events_written_total", "counter", "Events written to the store.", sh.written());
        sample(m, "gateway_store_values_written_total", "counter",
                "Point values those events stored (values that moved, and a full reading every 64th).", sh.valuesWritten());
        sample(m, "gateway_store_events_dropped_total", "counter",
                "Events that could not be stored (disk too slow, full or failing); resumes across them get replay-gap.", sh.dropped());
        help(m, "gateway_store_commit_seconds", "summary", "Time spent committing to the store.");
        m.append("gateway_store_commit_seconds_sum ").append(seconds(sh.commitSeconds())).append('\n');
        m.append("gateway_store_commit_seconds_count ").append(sh.commits()).append('\n');
        sample(m, "gateway_store_file_bytes", "gauge", "Size of the store file and its write-ahead log.", sh.fileBytes());
        UplinkHealth uh = uplink.get();
        states(m, "gateway_uplink_state", "MQTT uplink state", UplinkHealth.State.values(), uh.state());
        sample(m, "gateway_uplink_connects_total", "counter", "Connections made to the broker.", uh.connects());
        sample(m, "gateway_uplink_messages_published_total", "counter", "MQTT messages published.", uh.published());
        sample(m, "gateway_uplink_messages_acknowledged_total", "counter",
                "MQTT messages the broker acknowledged (QoS 1) or took (QoS 0).", uh.acknowledged());
        sample(m, "gateway_uplink_publish_failures_total", "counter",
                "Publishes that failed (connection lost or refused by the broker); resent from the store.",
                uh.failedPublishes());
        sample(m, "gateway_uplink_backlog_events", "gauge", "Events not yet acknowledged by the broker.", uh.backlog());
        sample(m, "gateway_uplink_oldest_unsent_seconds", "gauge", "Age of the oldest event not yet acknowledged.",
                String.format(Locale.ROOT, "%.1f", uh.oldestUnsentSeconds()));
        sample(m, "gateway_uplink_gaps_total", "counter",
                "Ranges of events the broker will never get (not kept by the store), each counted once.", uh.gaps());
        pushMetrics(m, push.get());
        Runtime rt = Runtime.getRuntime();
        sample(m, "gateway_jvm_heap_used_bytes", "gauge", "JVM heap in use.", rt.totalMemory() - rt.freeMemory());
        sample(m, "gateway_jvm_threads", "gauge", "Live platform threads.", ManagementFactory.getThreadMXBean().getThreadCount());
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        Gzip.send(req, res, m.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void pushMetrics(StringBuilder m, PushHealth p) {
        sample(m, "gateway_push_connections", "gauge", "DLMS push connections open.", p.openConnections());
        sample(m, "gateway_push_connections_total", "counter", "DLMS push connections taken.", p.connections());
        sample(m, "gateway_push_connections_refused_total", "counter",
                "DLMS push connections closed at once: max-connections were open.", p.connectionsRefused());
        sample(m, "gateway_push_accepted_total", "counter", "DLMS pushes published as readings.",
                p.total().accepted());
        help(m, "gateway_push_refused_total", "counter", "DLMS pushes (or frames) refused, by reason.");
        for (Refusal r : Refusal.values()) {
            labelled(m, "gateway_push_refused_total", "reason=\"" + r.label() + "\"", p.total().refused(r));
        }
        if (p.meters().isEmpty()) {
            return;
        }
        help(m, "gateway_push_meter_accepted_total", "counter", "DLMS pushes published, per meter.");
        p.meters().forEach(x -> labelled(m, "gateway_push_meter_accepted_total",
                "meter=\"" + label(x.meterNo()) + "\"", x.counts().accepted()));
        help(m, "gateway_push_meter_refused_total", "counter",
                "DLMS pushes refused, per meter (those that named its system title) and reason.");
        p.meters().forEach(x -> {
            for (Refusal r : Refusal.values()) {
                labelled(m, "gateway_push_meter_refused_total", "meter=\"" + label(x.meterNo()) + "\",reason=\""
                        + r.label() + "\"", x.counts().refused(r));
            }
        });
        help(m, "gateway_push_meter_last_push_seconds", "gauge",
                "When each meter's last accepted push arrived, Unix seconds; 0 for none yet.");
        p.meters().forEach(x -> labelled(m, "gateway_push_meter_last_push_seconds",
                "meter=\"" + label(x.meterNo()) + "\"", x.counts().lastPush().map(t -> t.getEpochSecond()).orElse(0L)));
    }

    /** A state gauge: one sample per state, 1 for the current one; the help lists them. */
    private static <E extends Enum<E>> void states(StringBuilder m, String name, String what, E[] all, E current) {
        help(m, name, "gauge", what + ": 1 for the current one (" + Arrays.stream(all).map(Enum::name)
                .collect(Collectors.joining(", ")) + ").");
        for (E st : all) {
            labelled(m, name, "state=\"" + st.name() + "\"", st == current ? 1 : 0);
        }
    }

    private static void perBus(StringBuilder m, String name, BusStats bus, Object value) {
        labelled(m, name, "bus=\"" + label(bus.name()) + "\"", value);
    }

    private static void labelled(StringBuilder m, String name, String labels, Object value) {
        m.append(name).append('{').append(labels).append("} ").append(value).append('\n');
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.6f", s);
    }

    /** A metric with no labels: its help, its type and its one sample. */
    private static void sample(StringBuilder m, String name, String type, String text, Object value) {
        help(m, name, type, text);
        m.append(name).append(' ').append(value).append('\n');
    }

    private static void help(StringBuilder m, String name, String type, String text) {
        m.append("# HELP ").append(name).append(' ').append(text).append('\n');
        m.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String label(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
