package io.edgegateway.reading;

import io.edgegateway.point.PointValue;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;

/**
 * The JSON the dashboards parse (docs/api.md, "Reading"): keep it exactly.
 *
 * <pre>
 * {"meterNo":"62124022443","timestamp":"2025-12-15T15:42:58.080Z","L1 Voltage":"230.5 V","Frequency":"50.1 Hz"}
 * {"meterNo":"62124022443","lastSeen":"2025-12-15T15:42:58.080Z","status":"CONNECTED"}
 * </pre>
 *
 * The typed form, for machine consumers ({@code ?format=typed}), carries numbers and units separately:
 * <pre>
 * {"meterNo":"..","timestamp":"..","values":{"L1 Voltage":{"value":230.5,"unit":"V"},"Operating Mode":{"value":1,"label":"AUTO"}}}
 * </pre>
 */
public final class ReadingJson {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());

    private ReadingJson() {
    }

    /** ISO-8601 UTC with milliseconds and Z, always three fraction digits. */
    public static String timestamp(Instant t) {
        return TIMESTAMP.format(t);
    }

    /**
     * The documented reading.
     *
     * @param only point names to include; empty for all
     */
    public static String reading(Reading r, Set<String> only) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            write(g, r, only, false, null);
        }
        return out.toString();
    }

    /** The documented reading with its event id first, as the history API lists readings. */
    public static String reading(Reading r, Set<String> only, long id) {
        return reading(r, only, "id", id);
    }

    /** The documented reading with its event id first under {@code idKey} (the MQTT uplink's {@code _id}). */
    public static String reading(Reading r, Set<String> only, String idKey, long id) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            write(g, r, only, false, idKey, id);
        }
        return out.toString();
    }

    /**
     * A Profile Generic row: the documented reading with {@code "profile"} after the timestamp (the capture time),
     * optionally with its event id first under {@code idKey}.
     */
    public static String profileEntry(ProfileEntry e, boolean typed, String idKey, Long id) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            writeEntry(g, e, typed, idKey, id);
        }
        return out.toString();
    }

    /** Writes a Profile Generic row as the next value of {@code g} (the load-profile API lists rows). */
    public static void writeEntry(JsonGenerator g, ProfileEntry e, boolean typed, String idKey, Long id) {
        g.writeStartObject();
        if (id != null) {
            g.write(idKey, id);
        }
        g.write("meterNo", e.meterNo());
        g.write("timestamp", timestamp(e.reading().timestamp()));
        g.write("profile", e.profile());
        values(g, e.reading(), Set.of(), typed);
        g.writeEnd();
    }

    /** The typed form of a reading. */
    public static String typed(Reading r, Set<String> only) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            write(g, r, only, true, null);
        }
        return out.toString();
    }

    /** A generator for streaming many readings into one document (the history API). */
    public static JsonGenerator generator(java.io.Writer out) {
        return GENERATORS.createGenerator(out);
    }

    /**
     * Writes a reading as the next value of {@code g}: documented or typed, with its event {@code id} first when
     * given (history adds it; live events carry theirs in the SSE frame).
     */
    public static void write(JsonGenerator g, Reading r, Set<String> only, boolean typed, Long id) {
        write(g, r, only, typed, "id", id);
    }

    private static void write(JsonGenerator g, Reading r, Set<String> only, boolean typed, String idKey, Long id) {
        g.writeStartObject();
        if (id != null) {
            g.write(idKey, id);
        }
        g.write("meterNo", r.meterNo());
        g.write("timestamp", timestamp(r.timestamp()));
        values(g, r, only, typed);
        g.writeEnd();
    }

    private static void values(JsonGenerator g, Reading r, Set<String> only, boolean typed) {
        if (typed) {
            g.writeStartObject("values");
        }
        for (Reading.Entry e : r.values().values()) {
            if (!only.isEmpty() && !only.contains(e.point().name())) {
                continue;
            }
            if (typed) {
                writeTyped(g, e);
            } else {
                String shown = e.display();
                if (shown != null) {
                    g.write(e.point().name(), shown);
                }
            }
        }
        if (typed) {
            g.writeEnd();
        }
    }

    private static void writeTyped(JsonGenerator g, Reading.Entry e) {
        var p = e.point();
        g.writeStartObject(p.name());
        String label = null;
        switch (e.value()) {
            case PointValue.Number n -> {
                BigDecimal v = p.decimals() < 0 ? n.value().stripTrailingZeros()
                        : n.value().setScale(p.decimals(), RoundingMode.HALF_UP);
                g.write("value", v);
                if (!p.unit().isEmpty()) {
                    g.write("unit", p.unit());
                }
                label = p.label(n.value());
            }
            case PointValue.Flag f -> {
                g.write("value", f.on());
                label = p.labels().get(f.on() ? 1L : 0L);
            }
            case PointValue.Text t -> g.write("value", t.text());
            case PointValue.Invalid i -> {
                g.writeNull("value");
                g.write("error", i.reason());
            }
        }
        if (label != null) {
            g.write("label", label);
        }
        g.writeEnd();
    }

    /**
     * One point's value alone, as a W3C WoT property carries it (docs/api.md, "Thing Descriptions"): a labelled
     * point's text as the reading shows it, a flag as a boolean, a number rounded to the point's decimals, text as
     * it is; null for an invalid value, which has nothing to show.
     */
    public static JsonValue bare(Reading.Entry e) {
        var p = e.point();
        return switch (e.value()) {
            case PointValue.Invalid i -> null;
            case PointValue.Text t -> Json.createValue(t.text());
            case PointValue.Flag f -> p.labels().isEmpty() ? (f.on() ? JsonValue.TRUE : JsonValue.FALSE)
                    : Json.createValue(e.display());
            case PointValue.Number n -> p.labels().isEmpty()
                    ? Json.createValue(p.decimals() < 0 ? n.value().stripTrailingZeros()
                            : n.value().setScale(p.decimals(), RoundingMode.HALF_UP))
                    : Json.createValue(e.display());
        };
    }

    /** The documented meter-status event. */
    public static String status(StatusReport s) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            g.writeStartObject();
            g.write("meterNo", s.meterNo());
            if (s.lastSeen() == null) {
                g.writeNull("lastSeen");
            } else {
                g.write("lastSeen", timestamp(s.lastSeen()));
            }
            g.write("status", s.status().name());
            g.writeEnd();
        }
        return out.toString();
    }
}
