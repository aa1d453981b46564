package io.edgegateway.alert;

import io.edgegateway.reading.Alert;
import io.edgegateway.reading.MeterStatus;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One alert rule, as the config's {@code alerts:} list or {@code PUT /api/alerts/rules/{id}} gives it (docs/api.md,
 * "Alerts"). It applies to the meters it names, or to the devices of its profile, or, naming neither, to every
 * device (that has its point).
 *
 * @param id       unique; appears in URLs, MQTT payloads and Sparkplug metric names
 * @param meters   the meters it applies to, as written; empty when it names none
 * @param profile  the profile whose devices it applies to, or null
 * @param watch    what it watches: a point against a condition, or a meter's status
 * @param hold     how long the condition must hold before it raises, and its end before it clears ({@code for})
 * @param severity how bad it is
 */
public record AlertRule(String id, List<String> meters, String profile, Watch watch, Duration hold,
                        Alert.Severity severity) {

    /** What a rule watches. */
    public sealed interface Watch {
    }

    /** A point's value against a condition. */
    public record PointWatch(String point, Condition condition) implements Watch {
    }

    /** A meter's status: raised when it is {@code status} for {@code for}, cleared as soon as it is not. */
    public record StatusWatch(MeterStatus status) implements Watch {
    }

    public AlertRule {
        Objects.requireNonNull(id, "id");
        meters = List.copyOf(meters);
        Objects.requireNonNull(watch, "watch");
        Objects.requireNonNull(hold, "hold");
        Objects.requireNonNull(severity, "severity");
    }

    /** Whether it applies to this meter: named, of its profile, or (naming neither) any meter with the point. */
    public boolean appliesTo(WatchedMeter m) {
        if (!meters.isEmpty()) {
            return meters.contains(m.meterNo());
        }
        if (profile != null) {
            return profile.equals(m.profile());
        }
        return !(watch instanceof PointWatch p) || m.point(p.point()).isPresent();
    }

    /** The rule's JSON, as {@code GET /api/alerts/rules} shows it and the store keeps it; it parses back the same. */
    public String json() {
        JsonObjectBuilder o = Json.createObjectBuilder().add("id", id);
        if (!meters.isEmpty()) {
            JsonArrayBuilder a = Json.createArrayBuilder();
            meters.forEach(a::add);
            o.add("meters", a);
        }
        if (profile != null) {
            o.add("profile", profile);
        }
        switch (watch) {
            case PointWatch p -> {
                o.add("point", p.point()).add("condition", p.condition().configName());
                switch (p.condition()) {
                    case Condition.Above c -> o.add("value", c.limit()).add("hysteresis", c.hysteresis());
                    case Condition.Below c -> o.add("value", c.limit()).add("hysteresis", c.hysteresis());
                    case Condition.Between c -> o.add("value", Json.createArrayBuilder().add(c.low()).add(c.high()))
                            .add("hysteresis", c.hysteresis());
                    case Condition.Outside c -> o.add("value", Json.createArrayBuilder().add(c.low()).add(c.high()))
                            .add("hysteresis", c.hysteresis());
                    case Condition.Equal c -> {
                        if (c.number() != null) {
                            o.add("value", c.number());
                        } else {
                            o.add("value", c.text());
                        }
                    }
                }
            }
            case StatusWatch s -> o.add("status", s.status().name());
        }
        return o.add("for", duration(hold)).add("severity", severity.configName()).build().toString();
    }

    /** The point it watches, or null for a status rule. */
    public String point() {
        return watch instanceof PointWatch p ? p.point() : null;
    }

    /** {@code 30s}, {@code 5m}, {@code 1500ms}: what the config would say. */
    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
