package io.edgegateway.wot;

import io.edgegateway.config.DeviceConfig;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.WriteRange;
import io.edgegateway.profile.DeviceProfile;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Thing Descriptions 1.1 of this gateway's meters (docs/api.md, "Thing Descriptions (W3C WoT)"): one property per
 * point, keyed by {@link PropertyKeys}, with its JSON type, unit, {@code readOnly}, {@code observable} and, when
 * writable, its limits; forms for reading (REST, the bare value), observing (SSE, unnamed events of the bare value)
 * and writing (PUT of the bare value); the {@code alert} and {@code status} events over SSE; bearer security when
 * the gateway has tokens, none otherwise.
 *
 * <p>Forms are shaped for consumers that follow the TD's defaults and its HTTP vocabulary, such as Eclipse
 * Thingweb node-wot: the method of each form is stated ({@code htv:methodName}), observing and subscribing name
 * the {@code sse} subprotocol, and reading and observing share one href, told apart by
 * {@code Accept: text/event-stream}, which EventSource sends.
 */
public final class ThingDescription {

    /** The TD 1.1 context. */
    public static final String CONTEXT = "https://www.w3.org/2022/wot/td/v1.1";
    /**
     * The TD 1.0 context, listed before 1.1's as TD 1.1 allows: consumers that know only 1.0 accept the TD too
     * (node-wot 0.9's TD check does not know the 1.1 context alone).
     */
    public static final String CONTEXT_1_0 = "https://www.w3.org/2019/wot/td/v1";
    /** The TD media type. */
    public static final String MEDIA_TYPE = "application/td+json";
    private static final String JSON = "application/json";

    private final GatewayConfig config;

    public ThingDescription(GatewayConfig config) {
        this.config = config;
    }

    /** {@code urn:edge-gateway:{gateway-id}:{meterNo}}. */
    public String id(String meterNo) {
        return "urn:edge-gateway:" + config.gatewayId() + ":" + meterNo;
    }

    /** Where a meter's TD is, relative to the server's root. */
    public static String path(String meterNo) {
        return "/api/things/" + meterNo;
    }

    /**
     * The meter's TD.
     *
     * @param keys the device's property keys
     * @param base the URL the client reached the gateway at, ending in {@code /}; forms are relative to it
     */
    public JsonObject of(DeviceConfig device, PropertyKeys keys, URI base) {
        String meterNo = device.meterNo();
        String at = "api/things/" + meterNo;
        JsonObjectBuilder properties = Json.createObjectBuilder();
        keys.points().forEach((key, point) -> properties.add(key, property(point, at + "/properties/" + key)));
        JsonObjectBuilder td = Json.createObjectBuilder()
                .add("@context", Json.createArrayBuilder().add(CONTEXT_1_0).add(CONTEXT))
                .add("id", id(meterNo))
                .add("title", meterNo)
                .add("description", description(device))
                .add("base", base.toString());
        security(td);
        return td.add("properties", properties)
                .add("events", Json.createObjectBuilder()
                        .add("alert", event("Alert", "an alert of this meter raised, acknowledged or cleared",
                                alertSchema(), at + "/events/alert"))
                        .add("status", event("Status", "the meter's connection status: now, then on each change",
                                statusSchema(), at + "/events/status")))
                .build();
    }

    /** A directory entry: enough to choose a meter and fetch its TD. */
    public JsonObject link(DeviceConfig device) {
        return Json.createObjectBuilder()
                .add("id", id(device.meterNo()))
                .add("title", device.meterNo())
                .add("description", description(device))
                .add("href", path(device.meterNo()))
                .add("type", MEDIA_TYPE)
                .build();
    }

    private String description(DeviceConfig device) {
        String what = device.profile().isEmpty() ? "a device with inline points"
                : config.profiles().find(device.profile()).map(DeviceProfile::description).orElse(device.profile());
        return what + " (" + (device.profile().isEmpty() ? "inline" : "profile " + device.profile()) + ", bus "
                + device.bus() + ")";
    }

    private void security(JsonObjectBuilder td) {
        if (config.tokens().isEmpty()) {
            td.add("securityDefinitions", Json.createObjectBuilder()
                    .add("nosec_sc", Json.createObjectBuilder().add("scheme", "nosec")));
            td.add("security", "nosec_sc");
            return;
        }
        td.add("securityDefinitions", Json.createObjectBuilder()
                .add("bearer_sc", Json.createObjectBuilder()
                        .add("scheme", "bearer")
                        .add("in", "header")
                        .add("description", "an access token of the gateway (security.tokens) as Authorization:"
                                + " Bearer; also taken as the access_token query parameter or the gateway_token"
                                + " cookie, for clients that cannot set headers (EventSource)")));
        td.add("security", "bearer_sc");
    }

    private JsonObjectBuilder property(Point point, String href) {
        Optional<WriteRange> limits = Optional.ofNullable(point.write());
        JsonObjectBuilder p = dataSchema(point).add("title", point.name());
        if (!point.unit().isEmpty()) {
            p.add("unit", point.unit());
        }
        // A labelled point is written by its labels; bounds of its raw numbers would mislead.
        limits.filter(l -> point.labels().isEmpty()).ifPresent(l -> {
            if (l.min() != null) {
                p.add("minimum", l.min());
            }
            if (l.max() != null) {
                p.add("maximum", l.max());
            }
            // Not as multipleOf: consumers check it in binary floating point, where 55.3 is no multiple of 0.1.
            if (l.step() != null) {
                p.add("description", "written in steps of " + l.step().toPlainString());
            }
        });
        JsonArrayBuilder forms = Json.createArrayBuilder()
                .add(form(href, "GET", "readproperty"))
                .add(form(href, "GET", "observeproperty", "unobserveproperty").add("subprotocol", "sse"));
        if (limits.isPresent()) {
            forms.add(form(href, "PUT", "writeproperty"));
        }
        return p.add("readOnly", limits.isEmpty())
                .add("writeOnly", false)
                .add("observable", true)
                .add("forms", forms);
    }

    /**
     * The JSON Schema of a point's bare value, as {@code ReadingJson.bare} writes it: a labelled point's labels
     * (readings show labels), a bit as a boolean, text as a string, a number with no decimals as an integer.
     */
    public static JsonObjectBuilder dataSchema(Point point) {
        JsonObjectBuilder s = Json.createObjectBuilder();
        if (!point.labels().isEmpty()) {
            JsonArrayBuilder labels = Json.createArrayBuilder();
            Set<String> distinct = new LinkedHashSet<>(new TreeMap<>(point.labels()).values());
            distinct.forEach(labels::add);
            return s.add("type", "string").add("enum", labels);
        }
        DataType type = point.address() instanceof ModbusAddress m ? m.type() : null;
        if (type == DataType.BOOL) {
            return s.add("type", "boolean");
        }
        if (type == DataType.STRING) {
            return s.add("type", "string");
        }
        return s.add("type", point.decimals() == 0 ? "integer" : "number");
    }

    private static JsonObjectBuilder form(String href, String method, String... ops) {
        JsonArrayBuilder op = Json.createArrayBuilder();
        for (String o : ops) {
            op.add(o);
        }
        return Json.createObjectBuilder()
                .add("href", href)
                .add("op", op)
                .add("htv:methodName", method)
                .add("contentType", JSON);
    }

    private static JsonObjectBuilder event(String title, String description, JsonObjectBuilder data, String href) {
        return Json.createObjectBuilder()
                .add("title", title)
                .add("description", description)
                .add("data", data)
                .add("forms", Json.createArrayBuilder()
                        .add(form(href, "GET", "subscribeevent", "unsubscribeevent").add("subprotocol", "sse")));
    }

    /** The alert JSON (docs/api.md, "Alerts"). */
    private static JsonObjectBuilder alertSchema() {
        return object(Map.of(
                "alertId", string(), "ruleId", string(), "meterNo", string(),
                "point", nullable(string()),
                "value", Json.createObjectBuilder().add("description", "the value that raised or cleared it"),
                "severity", oneOfStrings("info", "warning", "critical"),
                "state", oneOfStrings("raised", "cleared", "acknowledged"),
                "timestamp", dateTime(),
                "by", string().add("description", "the token name that acknowledged it")),
                "alertId", "ruleId", "meterNo", "point", "value", "severity", "state", "timestamp");
    }

    /** The meter-status JSON (docs/api.md, "Meter status"). */
    private static JsonObjectBuilder statusSchema() {
        return object(Map.of(
                "meterNo", string(),
                "lastSeen", nullable(dateTime()),
                "status", oneOfStrings("CONNECTED", "DISCONNECTED", "ERROR")),
                "meterNo", "lastSeen", "status");
    }

    private static JsonObjectBuilder object(Map<String, JsonObjectBuilder> properties, String... required) {
        JsonObjectBuilder p = Json.createObjectBuilder();
        new TreeMap<>(properties).forEach(p::add);
        JsonArrayBuilder r = Json.createArrayBuilder();
        for (String k : required) {
            r.add(k);
        }
        return Json.createObjectBuilder().add("type", "object").add("properties", p).add("required", r);
    }

    private static JsonObjectBuilder string() {
        return Json.createObjectBuilder().add("type", "string");
    }

    private static JsonObjectBuilder dateTime() {
        return string().add("format", "date-time");
    }

    private static JsonObjectBuilder nullable(JsonObjectBuilder schema) {
        return Json.createObjectBuilder().add("oneOf", Json.createArrayBuilder()
                .add(schema).add(Json.createObjectBuilder().add("type", "null")));
    }

    private static JsonObjectBuilder oneOfStrings(String... values) {
        JsonArrayBuilder e = Json.createArrayBuilder();
        for (String v : values) {
            e.add(v);
        }
        return string().add("enum", e);
    }
}
