package io.edgegateway.wot;

import io.edgegateway.config.DeviceConfig;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.encoding.Gzip;
import io.edgegateway.http.Caller;
import io.edgegateway.http.JsonReply;
import io.edgegateway.http.WriteEndpoints;
import io.edgegateway.hub.EventHub;
import io.edgegateway.point.Point;
import io.edgegateway.reading.Reading;
import io.edgegateway.reading.ReadingJson;
import io.edgegateway.sse.ThingStreams;
import io.edgegateway.write.PointWriter;
import io.edgegateway.write.ValueCheck;
import io.edgegateway.write.WriteOutcome;
import io.helidon.common.uri.UriInfo;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;

import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Routes of {@code /api/things} (docs/api.md, "Thing Descriptions (W3C WoT)"): the directory, each meter's TD,
 * and what its forms point at. Reading and observing a property share one href: a request that accepts
 * {@code text/event-stream} (EventSource) observes, any other reads. The access guard in front checks tokens;
 * writing also needs a token with {@code write: true}, or, without tokens, a caller on this machine.
 */
public final class ThingEndpoints implements HttpService {

    private final GatewayConfig config;
    private final EventHub hub;
    private final ThingStreams streams;
    private final PointWriter writer;
    private final ThingDescription descriptions;
    private final Map<String, PropertyKeys> keys = new LinkedHashMap<>();

    /** @param writer where writes go: the gateway's one writer, which checks, carries out and audits them */
    public ThingEndpoints(GatewayConfig config, EventHub hub, ThingStreams streams, PointWriter writer) {
        this.config = config;
        this.hub = hub;
        this.streams = streams;
        this.writer = writer;
        this.descriptions = new ThingDescription(config);
        for (DeviceConfig d : config.devices()) {
            keys.put(d.meterNo(), new PropertyKeys(d.points()));
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::directory)
                .get("/{meterNo}", this::description)
                .get("/{meterNo}/properties/{name}", this::readOrObserve)
                .put("/{meterNo}/properties/{name}", this::write)
                .get("/{meterNo}/events/{name}", this::subscribe);
    }

    private void directory(ServerRequest req, ServerResponse res) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        config.devices().forEach(d -> a.add(descriptions.link(d)));
        JsonReply.send(req, res, Status.OK_200, a.build().toString());
    }

    private void description(ServerRequest req, ServerResponse res) {
        Optional<DeviceConfig> device = device(req, res);
        if (device.isEmpty()) {
            return;
        }
        String td = descriptions.of(device.get(), keys.get(device.get().meterNo()), base(req)).toString();
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, ThingDescription.MEDIA_TYPE);
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        Gzip.send(req, res, td.getBytes(StandardCharsets.UTF_8));
    }

    /** Where the client reached us, so that the TD's forms lead back the same way (a proxy's Host included). */
    private static URI base(ServerRequest req) {
        UriInfo u = req.requestedUri();
        String host = u.host().contains(":") && !u.host().startsWith("[") ? "[" + u.host() + "]" : u.host();
        return URI.create(u.scheme() + "://" + host + ":" + u.port() + "/");
    }

    private void readOrObserve(ServerRequest req, ServerResponse res) {
        Optional<Point> found = point(req, res);
        if (found.isEmpty()) {
            return;
        }
        String meterNo = meterNo(req);
        Point point = found.get();
        if (req.headers().first(HeaderNames.ACCEPT).map(a -> a.contains("text/event-stream")).orElse(false)) {
            streams.property(req, res, meterNo, point.name());
            return;
        }
        Optional<Reading.Entry> entry = hub.latest(meterNo).map(r -> r.values().get(point.name()));
        JsonValue value = entry.map(ReadingJson::bare).orElse(null);
        if (value == null) {
            res.header(HeaderNames.RETRY_AFTER, "5");
            JsonReply.error(res, Status.SERVICE_UNAVAILABLE_503, "no-value", entry.isEmpty()
                    ? "no value of '" + point.name() + "' has been read from meter " + meterNo + " yet"
                    : "the last poll of meter " + meterNo + " could not decode '" + point.name() + "'");
            return;
        }
        JsonReply.send(res, Status.OK_200, value.toString());
    }

    private void subscribe(ServerRequest req, ServerResponse res) {
        Optional<DeviceConfig> device = device(req, res);
        if (device.isEmpty()) {
            return;
        }
        String name = req.path().pathParameters().get("name");
        switch (name) {
            case "alert" -> streams.alerts(req, res, device.get().meterNo());
            case "status" -> streams.statuses(req, res, device.get().meterNo());
            default -> JsonReply.error(res, Status.NOT_FOUND_404, "unknown-event", "meter "
                    + device.get().meterNo() + " has no event '" + name + "'; its events are alert and status");
        }
    }

    /**
     * {@code writeproperty}: the body is the bare value, as the property's schema says; a labelled point takes one
     * of its labels. 204 once the device took it; the writer's refusals as JSON errors with their status. The
     * refusals of this door (403, 405, 400 {@code bad-value}) are audited as the REST door's are.
     */
    private void write(ServerRequest req, ServerResponse res) {
        String meterNo = meterNo(req);
        String key = req.path().pathParameters().get("name");
        Optional<DeviceConfig> device = config.device(meterNo);
        Optional<Point> found = device.flatMap(d -> keys.get(d.meterNo()).point(key));
        // The audit names the point by its display name when it is one, else as asked.
        String name = found.map(Point::name).orElse(key);
        Caller caller = req.context().get(Caller.class).orElse(Caller.ANONYMOUS);
        WriteOutcome outcome;
        Optional<WriteOutcome.Refused> forbidden = WriteEndpoints.forbidden(writer, req, !config.tokens().isEmpty(),
                meterNo, name);
        if (forbidden.isPresent()) {
            outcome = forbidden.get();
        } else if (device.isEmpty()) {
            outcome = writer.refuse(caller.tokenName(), meterNo, name, null, new WriteOutcome.Refused(404,
                    "unknown-meter", "no meter '" + meterNo + "' on this gateway"));
        } else if (found.isEmpty()) {
            outcome = writer.refuse(caller.tokenName(), meterNo, name, null, new WriteOutcome.Refused(404,
                    "unknown-property", "meter " + meterNo + " has no property '" + key + "'; its TD at "
                    + ThingDescription.path(meterNo) + " lists them"));
        } else if (!found.get().writable()) {
            res.header(HeaderNames.ALLOW, "GET, HEAD");
            outcome = writer.refuse(caller.tokenName(), meterNo, name, null, new WriteOutcome.Refused(405,
                    "read-only", "'" + name + "' of meter " + meterNo + " is read-only"));
        } else {
            outcome = write(caller, meterNo, found.get(), req.content().as(String.class));
        }
        switch (outcome) {
            case WriteOutcome.Written w -> res.status(Status.NO_CONTENT_204).send();
            case WriteOutcome.Refused r -> JsonReply.error(res, Status.create(r.httpStatus()), r.code(), r.message());
        }
    }

    private WriteOutcome write(Caller caller, String meterNo, Point point, String body) {
        JsonValue value = null;
        JsonValue raw;
        try {
            value = bare(body);
            raw = raw(point, value);
        } catch (IllegalArgumentException e) {
            return writer.refuse(caller.tokenName(), meterNo, point.name(), value,
                    new WriteOutcome.Refused(400, "bad-value", e.getMessage()));
        }
        return writer.write(caller.tokenName(), meterNo, point.name(), raw);
    }

    /** The body as one JSON number, string or boolean. */
    private static JsonValue bare(String body) {
        String text = body.trim();
        if (text.isEmpty() || text.startsWith("{") || text.startsWith("[")) {
            throw new IllegalArgumentException("the body is the property's value alone: a JSON number, string or"
                    + " boolean, e.g. 55.5, \"AUTO\" or true");
        }
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readValue();
        } catch (JsonParsingException e) {
            throw new IllegalArgumentException("not valid JSON: " + text);
        } catch (JsonException e) {
            throw new IllegalArgumentException("not one JSON value: " + text);
        }
    }

    /** A label, in any case (as on the REST door), back to the number or bit it stands for; others as they are. */
    private static JsonValue raw(Point point, JsonValue value) {
        if (point.labels().isEmpty() || !(value instanceof JsonString s)) {
            return value;
        }
        boolean bit = point.isBit();
        long raw = ValueCheck.label(point, s.getString()).orElseThrow(() -> new IllegalArgumentException("'"
                + s.getString() + "' is not one of " + point.name() + "'s values "
                + new TreeMap<>(point.labels()).values()));
        return bit ? (raw == 1 ? JsonValue.TRUE : JsonValue.FALSE) : Json.createValue(BigDecimal.valueOf(raw));
    }

    private static String meterNo(ServerRequest req) {
        return req.path().pathParameters().get("meterNo");
    }

    private Optional<DeviceConfig> device(ServerRequest req, ServerResponse res) {
        String meterNo = meterNo(req);
        Optional<DeviceConfig> d = config.device(meterNo);
        if (d.isEmpty()) {
            JsonReply.error(res, Status.NOT_FOUND_404, "unknown-meter", "no meter '" + meterNo + "' on this gateway");
        }
        return d;
    }

    private Optional<Point> point(ServerRequest req, ServerResponse res) {
        Optional<DeviceConfig> d = device(req, res);
        if (d.isEmpty()) {
            return Optional.empty();
        }
        String name = req.path().pathParameters().get("name");
        Optional<Point> p = keys.get(d.get().meterNo()).point(name);
        if (p.isEmpty()) {
            JsonReply.error(res, Status.NOT_FOUND_404, "unknown-property", "meter " + d.get().meterNo()
                    + " has no property '" + name + "'; its TD at " + ThingDescription.path(d.get().meterNo())
                    + " lists them");
        }
        return p;
    }
}
