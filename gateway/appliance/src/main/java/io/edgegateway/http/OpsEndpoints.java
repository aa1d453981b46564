package io.edgegateway.http;

import io.edgegateway.hub.EventHub;
import io.edgegateway.poll.BusStats;
import io.edgegateway.poll.DeviceStats;
import io.edgegateway.reading.MeterStatus;
import io.edgegateway.reading.ReadingJson;
import io.edgegateway.store.StoreHealth;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** {@code GET /health} (per-bus summary as JSON) and {@code GET /metrics} (Prometheus text format 0.0.4). */
public final class OpsEndpoints implements HttpService {

    private final Supplier<List<BusStats>> stats;
    private final EventHub hub;
    private final StreamStats clients;
    private final Supplier<StoreHealth> store;
    private final Clock clock;

    public OpsEndpoints(Supplier<List<BusStats>> stats, EventHub hub, StreamStats clients, Supplier<StoreHealth> store,
                        Clock clock) {
        this.stats = stats;
        this.hub = hub;
        this.clients = clients;
        this.store = store;
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
     * UP when every device is connected and the store writes, DOWN when no device is connected, DEGRADED between
     * (or when the store cannot keep up or cannot write). Always 200: the gateway itself runs.
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
                    .add("averageLatencyMs", b.polls() == 0 ? 0 : Math.round(b.latencySumSeconds() / b.polls() * 10000) / 10.0));
        }
        StoreHealth sh = store.get();
        boolean storeOk = sh.state() == StoreHealth.State.OK || sh.state() == StoreHealth.State.DISABLED;
        String status = connected == 0 && devices > 0 ? "DOWN" : connected == devices && storeOk ? "UP" : "DEGRADED";
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
        JsonReply.send(res, Status.OK_200, Json.createObjectBuilder()
                .add("status", status)
                .add("timestamp", ReadingJson.timestamp(clock.instant()))
                .add("devices", devices)
                .add("connected", connected)
                .add("sseClients", clients.connected())
                .add("storage", storage)
                .add("buses", buses)
                .build().toString());
    }

    private void metrics(ServerRequest req, ServerResponse res) {
        StringBuilder m = new StringBuilder(4096);
        List<BusStats> all = stats.get();
        help(m, "gateway_polls_total", "counter", "Poll attempts per bus.");
        all.forEach(b -> m.append("gateway_polls_total{bus=\"").append(label(b.name())).append("\"} ").append(b.polls()).append('\n'));
        help(m, "gateway_poll_errors_total", "counter", "Failed polls per bus and kind.");
        all.forEach(b -> b.errors().forEach((kind, n) -> m.append("gateway_poll_errors_total{bus=\"").append(label(b.name()))
                .append("\",kind=\"").append(kind).append("\"} ").append(n).append('\n')));
        help(m, "gateway_poll_latency_seconds", "summary", "Duration of polls per bus.");
        all.forEach(b -> {
            m.append("gateway_poll_latency_seconds_sum{bus=\"").append(label(b.name())).append("\"} ")
                    .append(String.format(Locale.ROOT, "%.6f", b.latencySumSeconds())).append('\n');
            m.append("gateway_poll_latency_seconds_count{bus=\"").append(label(b.name())).append("\"} ").append(b.polls()).append('\n');
        });
        help(m, "gateway_poll_latency_seconds_max", "gauge", "Longest poll per bus since start.");
        all.forEach(b -> m.append("gateway_poll_latency_seconds_max{bus=\"").append(label(b.name())).append("\"} ")
                .append(String.format(Locale.ROOT, "%.6f", b.latencyMaxSeconds())).append('\n'));
        help(m, "gateway_poll_overruns_total", "counter", "Poll slots skipped because the bus was busy.");
        all.forEach(b -> m.append("gateway_poll_overruns_total{bus=\"").append(label(b.name())).append("\"} ").append(b.overruns()).append('\n'));
        help(m, "gateway_retries_deferred_total", "counter", "Retries of failing devices held back to protect the bus.");
        all.forEach(b -> m.append("gateway_retries_deferred_total{bus=\"").append(label(b.name())).append("\"} ").append(b.deferredRetries()).append('\n'));
        help(m, "gateway_devices", "gauge", "Devices per bus and status.");
        all.forEach(b -> count(b).forEach((s, n) -> m.append("gateway_devices{bus=\"").append(label(b.name()))
                .append("\",status=\"").append(s.name()).append("\"} ").append(n).append('\n')));
        help(m, "gateway_events_published_total", "counter", "Events published to subscribers (changes and status transitions).");
        m.append("gateway_events_published_total ").append(hub.publishedCount()).append('\n');
        help(m, "gateway_readings_unchanged_total", "counter", "Polls not published because nothing changed beyond deadbands.");
        m.append("gateway_readings_unchanged_total ").append(hub.suppressedCount()).append('\n');
        help(m, "gateway_reading_bytes_polled_total", "counter",
                "Reading JSON bytes one subscriber of every meter would get if every poll were sent.");
        m.append("gateway_reading_bytes_polled_total ").append(hub.polledBytes()).append('\n');
        help(m, "gateway_reading_bytes_published_total", "counter",
                "Reading JSON bytes one subscriber of every meter gets with on-change filtering.");
        m.append("gateway_reading_bytes_published_total ").append(hub.publishedBytes()).append('\n');
        help(m, "gateway_sse_clients", "gauge", "Connected SSE clients.");
        m.append("gateway_sse_clients ").append(clients.connected()).append('\n');
        help(m, "gateway_sse_events_sent_total", "counter", "SSE events written to clients.");
        m.append("gateway_sse_events_sent_total ").append(clients.eventsSent()).append('\n');
        help(m, "gateway_sse_clients_refused_total", "counter", "Connections refused at the client limit.");
        m.append("gateway_sse_clients_refused_total ").append(clients.refused()).append('\n');
        help(m, "gateway_sse_clients_dropped_total", "counter", "Clients cut off, by reason.");
        for (String reason : List.of("slow", "stalled")) {
            m.append("gateway_sse_clients_dropped_total{reason=\"").append(reason).append("\"} ")
                    .append(clients.dropped().getOrDefault(reason, 0L)).append('\n');
        }
        StoreHealth sh = store.get();
        help(m, "gateway_store_state", "gauge", "Reading store state: 1 for the current one (OK, DEGRADED, ERROR, DISABLED).");
        for (StoreHealth.State st : StoreHealth.State.values()) {
            m.append("gateway_store_state{state=\"").append(st.name()).append("\"} ").append(sh.state() == st ? 1 : 0)
                    .append('\n');
        }
        help(m, "gateway_store_queued_events", "gauge", "Events waiting to be written to the store.");
        m.append("gateway_store_queued_events ").append(sh.queued()).append('\n');
        help(m, "gateway_store_events_written_total", "counter", "Events written to the store.");
        m.append("gateway_store_events_written_total ").append(sh.written()).append('\n');
        help(m, "gateway_store_values_written_total", "counter",
                "Point values those events stored (values that moved, and a full reading every 64th).");
        m.append("gateway_store_values_written_total ").append(sh.valuesWritten()).append('\n');
        help(m, "gateway_store_events_dropped_total", "counter",
                "Events that could not be stored (disk too slow, full or failing); resumes across them get replay-gap.");
        m.append("gateway_store_events_dropped_total ").append(sh.dropped()).append('\n');
        help(m, "gateway_store_commit_seconds", "summary", "Time spent committing to the store.");
        m.append("gateway_store_commit_seconds_sum ").append(String.format(Locale.ROOT, "%.6f", sh.commitSeconds()))
                .append('\n');
        m.append("gateway_store_commit_seconds_count ").append(sh.commits()).append('\n');
        help(m, "gateway_store_file_bytes", "gauge", "Size of the store file and its write-ahead log.");
        m.append("gateway_store_file_bytes ").append(sh.fileBytes()).append('\n');
        Runtime rt = Runtime.getRuntime();
        help(m, "gateway_jvm_heap_used_bytes", "gauge", "JVM heap in use.");
        m.append("gateway_jvm_heap_used_bytes ").append(rt.totalMemory() - rt.freeMemory()).append('\n');
        help(m, "gateway_jvm_threads", "gauge", "Live platform threads.");
        m.append("gateway_jvm_threads ").append(ManagementFactory.getThreadMXBean().getThreadCount()).append('\n');
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        res.send(m.toString());
    }

    private static void help(StringBuilder m, String name, String type, String text) {
        m.append("# HELP ").append(name).append(' ').append(text).append('\n');
        m.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String label(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
