package io.edgegateway.http;

import io.edgegateway.config.DeviceConfig;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.hub.EventHub;
import io.edgegateway.point.Point;
import io.edgegateway.point.WriteRange;
import io.edgegateway.poll.BusStats;
import io.edgegateway.poll.DeviceStats;
import io.edgegateway.poll.TaskStats;
import io.edgegateway.reading.ReadingJson;
import io.edgegateway.reading.StatusReport;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * REST polling fallback under {@code /api/meters}: the list of meters with status, and one meter's latest
 * reading (in the same JSON as the SSE {@code data} event) with its status.
 */
public final class MeterEndpoints implements HttpService {

    private final GatewayConfig config;
    private final EventHub hub;
    private final Supplier<List<BusStats>> stats;

    public MeterEndpoints(GatewayConfig config, EventHub hub, Supplier<List<BusStats>> stats) {
        this.config = config;
        this.hub = hub;
        this.stats = stats;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list).get("/{meterNo}", this::one);
    }

    private void list(ServerRequest req, ServerResponse res) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (DeviceConfig d : config.devices()) {
            a.add(summary(d));
        }
        JsonReply.send(req, res, Status.OK_200, a.build().toString());
    }

    private JsonObjectBuilder summary(DeviceConfig d) {
        StatusReport s = hub.status(d.meterNo());
        JsonObjectBuilder o = Json.createObjectBuilder()
                .add("meterNo", d.meterNo())
                .add("profile", d.profile().isEmpty() ? "(inline)" : d.profile())
                .add("protocol", config.bus(d.bus()).orElseThrow().type().protocol().configName())
                .add("bus", d.bus())
                .add("status", s.status().name());
        if (s.lastSeen() == null) {
            o.addNull("lastSeen");
        } else {
            o.add("lastSeen", ReadingJson.timestamp(s.lastSeen()));
        }
        if (s.detail() != null) {
            o.add("detail", s.detail());
        }
        return o;
    }

    private void one(ServerRequest req, ServerResponse res) {
        String meterNo = req.path().pathParameters().get("meterNo");
        var device = config.device(meterNo);
        if (device.isEmpty()) {
            JsonReply.error(res, Status.NOT_FOUND_404, "unknown-meter", "no meter '" + meterNo + "' on this gateway");
            return;
        }
        boolean typed = req.query().first("format").orElse("reading").equals("typed");
        JsonObjectBuilder o = summary(device.get());
        o.add("statusEvent", Json.createReader(new StringReader(ReadingJson.status(hub.status(meterNo)))).readObject());
        var latest = hub.latest(meterNo);
        if (latest.isPresent()) {
            String json = typed ? ReadingJson.typed(latest.get(), Set.of()) : ReadingJson.reading(latest.get(), Set.of());
            o.add("reading", Json.createReader(new StringReader(json)).readObject());
        } else {
            o.addNull("reading");
        }
        stats.get().stream().flatMap(b -> b.devices().stream()).filter(s -> s.meterNo().equals(meterNo)).findFirst()
                .ifPresent(s -> o.add("polling", polling(s)));
        o.add("writable", writable(device.get()));
        JsonReply.send(req, res, Status.OK_200, o.build().toString());
    }

    /**
     * The points a write may change and what each takes, for a page's write control: {@code type} {@code number}
     * (with {@code min}, {@code max}, {@code step} where the profile sets them, and {@code unit}), {@code boolean}
     * (a coil or bit) or {@code label} (with {@code labels}, code to label).
     */
    private static JsonObjectBuilder writable(DeviceConfig d) {
        JsonObjectBuilder all = Json.createObjectBuilder();
        for (Point p : d.points()) {
            WriteRange w = p.write();
            if (w == null) {
                continue;
            }
            JsonObjectBuilder o = Json.createObjectBuilder();
            if (!p.labels().isEmpty()) {
                JsonObjectBuilder labels = Json.createObjectBuilder();
                p.labels().forEach((code, label) -> labels.add(String.valueOf(code), label));
                o.add("type", p.isBit() ? "boolean" : "label")
                        .add("labels", labels);
            } else if (p.isBit()) {
                o.add("type", "boolean");
            } else {
                o.add("type", "number");
                if (w.min() != null) {
                    o.add("min", w.min());
                }
                if (w.max() != null) {
                    o.add("max", w.max());
                }
                if (w.step() != null) {
                    o.add("step", w.step());
                }
            }
            if (!p.unit().isEmpty()) {
                o.add("unit", p.unit());
            }
            all.add(p.name(), o);
        }
        return all;
    }

    private static JsonObjectBuilder polling(DeviceStats s) {
        JsonObjectBuilder p = Json.createObjectBuilder()
                .add("polls", s.polls())
                .add("failures", s.failures())
                .add("consecutiveFailures", s.consecutiveFailures())
                .add("overruns", s.overruns())
                .add("neighbourOverruns", s.neighbourOverruns())
                .add("lastLatencyMs", Math.round(s.lastLatencyMillis() * 10) / 10.0);
        JsonArrayBuilder invalid = Json.createArrayBuilder();
        s.invalidPoints().forEach(invalid::add);
        p.add("invalidPoints", invalid);
        if (s.lastError() != null) {
            p.add("lastError", s.lastError());
        }
        if (s.nextAttempt() != null) {
            p.add("nextAttempt", ReadingJson.timestamp(s.nextAttempt()));
        }
        if (s.heldUpBy() != null) {
            p.add("heldUpBy", s.heldUpBy());
        }
        if (s.reprobeIn() != null) {
            p.add("refused", "address refused, re-probing in " + Math.max(1, s.reprobeIn().toSeconds()) + " s");
        }
        if (!s.tasks().isEmpty()) {
            JsonArrayBuilder tasks = Json.createArrayBuilder();
            s.tasks().forEach(t -> tasks.add(task(t)));
            p.add("tasks", tasks);
        }
        return p;
    }

    /** A load profile's or clock check's state: when it ran, its last error, and its own figures. */
    private static JsonObjectBuilder task(TaskStats t) {
        JsonObjectBuilder o = Json.createObjectBuilder().add("name", t.name()).add("runs", t.runs())
                .add("failures", t.failures());
        if (t.lastRun() != null) {
            o.add("lastRun", ReadingJson.timestamp(t.lastRun()));
        }
        if (t.nextRun() != null) {
            o.add("nextRun", ReadingJson.timestamp(t.nextRun()));
        }
        if (t.lastError() != null) {
            o.add("lastError", t.lastError());
        }
        t.details().forEach((k, v) -> {
            switch (v) {
                case Instant i -> o.add(k, ReadingJson.timestamp(i));
                case Long l -> o.add(k, l);
                case Integer i -> o.add(k, i);
                case Double d -> o.add(k, d);
                default -> o.add(k, String.valueOf(v));
            }
        });
        return o;
    }
}
