package io.edgegateway.http;

import io.edgegateway.reading.ReadingJson;
import io.edgegateway.store.AuditEntry;
import io.edgegateway.store.EventStore;
import io.edgegateway.write.PointWriter;
import io.edgegateway.write.WriteOutcome;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Writes to devices and their audit trail: {@code POST /api/meters/{meterNo}/points/{name}} with
 * {@code {"value": 55.0}}, and {@code GET /api/audit}. A write needs a token with {@code write: true} (admin
 * implies it), the audit trail an admin token; without tokens configured both answer only this machine
 * ({@link Loopback}). Every write attempt, refused here or by the device, is audited by the {@link PointWriter}
 * (but a 403 to another machine without tokens, {@link PointWriter#notLocal}).
 */
public final class WriteEndpoints {

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final PointWriter writer;
    private final EventStore store;
    private final boolean tokensConfigured;
    private final Clock clock;
    private final Set<String> meterNos;

    /** @param meterNos the configured meters, for {@code /api/audit?meter=} */
    public WriteEndpoints(PointWriter writer, EventStore store, boolean tokensConfigured, Clock clock,
                          Set<String> meterNos) {
        this.writer = writer;
        this.store = store;
        this.tokensConfigured = tokensConfigured;
        this.clock = clock;
        this.meterNos = Set.copyOf(meterNos);
    }

    /** The write route, for {@code /api/meters}. */
    public HttpService points() {
        return rules -> rules.post("/{meterNo}/points/{name}", this::write);
    }

    /** The audit trail, for {@code /api/audit}. */
    public HttpService audit() {
        return rules -> rules.get("/", this::list);
    }

    /**
     * {@code GET /api/session}: what the caller's token may do, for a page to show or hide its write controls
     * (the token itself is in an HttpOnly cookie the page cannot read).
     */
    public HttpService session() {
        return rules -> rules.get("/", (req, res) -> {
            Caller c = req.context().get(Caller.class).orElse(Caller.ANONYMOUS);
            boolean local = Loopback.from(req);
            JsonObjectBuilder o = Json.createObjectBuilder().add("tokens", tokensConfigured);
            if (c.tokenName() == null) {
                o.addNull("token");
            } else {
                o.add("token", c.tokenName());
            }
            o.add("write", tokensConfigured ? c.write() : local).add("admin", tokensConfigured ? c.admin() : local);
            JsonReply.send(res, Status.OK_200, o.build().toString());
        });
    }

    /**
     * The rights a write needs, at every door: a token with {@code write: true}, or, without tokens, a caller on
     * this machine. The refusal is audited (a remote caller's without tokens only logged, see
     * {@link PointWriter#notLocal}); empty when the caller may write.
     */
    public static Optional<WriteOutcome.Refused> forbidden(PointWriter writer, ServerRequest req,
                                                           boolean tokensConfigured, String meterNo, String point) {
        if (!tokensConfigured && !Loopback.from(req)) {
            return Optional.of(writer.notLocal(meterNo, point, new WriteOutcome.Refused(403, "forbidden",
                    "without security.tokens configured, writes are only allowed from this machine")));
        }
        Caller caller = req.context().get(Caller.class).orElse(Caller.ANONYMOUS);
        if (tokensConfigured && !caller.write()) {
            return Optional.of(writer.refuse(caller.tokenName(), meterNo, point, null, new WriteOutcome.Refused(403,
                    "forbidden", "writing a point needs a token with write: true (or admin: true)")));
        }
        return Optional.empty();
    }

    private void write(ServerRequest req, ServerResponse res) {
        String meterNo = req.path().pathParameters().get("meterNo");
        String point = req.path().pathParameters().get("name");
        Caller caller = req.context().get(Caller.class).orElse(Caller.ANONYMOUS);
        JsonValue value = null;
        WriteOutcome outcome;
        Optional<WriteOutcome.Refused> forbidden = forbidden(writer, req, tokensConfigured, meterNo, point);
        if (forbidden.isPresent()) {
            outcome = forbidden.get();
        } else {
            try {
                JsonObject body = JsonBody.object(req.content().as(String.class));
                value = body.get("value");
                outcome = value == null
                        ? writer.refuse(caller.tokenName(), meterNo, point, null, new WriteOutcome.Refused(400,
                                "bad-json", "the body needs \"value\": a number, true/false, or a label"))
                        : writer.write(caller.tokenName(), meterNo, point, value);
            } catch (JsonBody.Refused e) {
                outcome = writer.refuse(caller.tokenName(), meterNo, point, null,
                        new WriteOutcome.Refused(400, "bad-json", e.getMessage()));
            }
        }
        switch (outcome) {
            case WriteOutcome.Refused r -> JsonReply.error(res, Status.create(r.httpStatus()), r.code(), r.message());
            case WriteOutcome.Written w -> {
                JsonObjectBuilder o = Json.createObjectBuilder().add("meterNo", w.meterNo()).add("point", w.point())
                        .add("previous", w.previous()).add("value", w.value());
                if (w.shown() == null) {
                    o.addNull("shown");
                } else {
                    o.add("shown", w.shown());
                }
                o.add("timestamp", ReadingJson.timestamp(clock.instant()));
                JsonReply.send(res, Status.OK_200, o.build().toString());
            }
        }
    }

    private void list(ServerRequest req, ServerResponse res) {
        if (AdminOnly.refuses(req, res, tokensConfigured, "reading the audit trail")) {
            return;
        }
        if (!store.config().enabled()) {
            JsonReply.error(res, Status.SERVICE_UNAVAILABLE_503, "no-store",
                    "the store is off (storage.enabled: false); writes are recorded in the log only");
            return;
        }
        Instant to;
        Instant from;
        int limit;
        try {
            to = instant(req, "to").orElse(clock.instant().plusMillis(1));
            from = instant(req, "from").orElse(Instant.EPOCH);
        } catch (DateTimeParseException e) {
            JsonReply.error(res, Status.BAD_REQUEST_400, "bad-time",
                    "from and to must be ISO-8601 UTC times such as 2026-12-01T03:00:00Z");
            return;
        }
        if (!from.isBefore(to)) {
            JsonReply.error(res, Status.BAD_REQUEST_400, "bad-range", "from must be before to");
            return;
        }
        try {
            limit = Integer.parseInt(req.query().first("limit").orElse(String.valueOf(DEFAULT_LIMIT)).trim());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            JsonReply.error(res, Status.BAD_REQUEST_400, "bad-limit", "limit must be a number 1.." + MAX_LIMIT);
            return;
        }
        String meter = req.query().first("meter").orElse(null);
        if (meter != null && !meterNos.contains(meter)) {
            // As /api/alerts: a typo is told, not answered with an empty trail. Rows of a meter since removed
            // from the config are still in the list without a filter.
            JsonReply.error(res, Status.NOT_FOUND_404, "unknown-meter", "no meter " + meter);
            return;
        }
        List<AuditEntry> rows;
        try {
            rows = store.audit(from, to, meter, limit);
        } catch (SQLException e) {
            JsonReply.error(res, Status.SERVICE_UNAVAILABLE_503, "store-unavailable", e.getMessage());
            return;
        }
        JsonArrayBuilder a = Json.createArrayBuilder();
        rows.forEach(r -> a.add(json(r)));
        JsonReply.send(req, res, Status.OK_200, Json.createObjectBuilder().add("entries", a).build().toString());
    }

    private static Optional<Instant> instant(ServerRequest req, String name) {
        return req.query().first(name).asOptional().map(v -> Instant.parse(v.trim()));
    }

    private static JsonObjectBuilder json(AuditEntry e) {
        JsonObjectBuilder o = Json.createObjectBuilder().add("id", e.id())
                .add("timestamp", ReadingJson.timestamp(e.at()));
        text(o, "token", e.token());
        o.add("meterNo", e.meterNo()).add("point", e.point());
        o.add("oldValue", value(e.oldValue()));
        o.add("newValue", value(e.newValue()));
        o.add("result", e.result());
        text(o, "detail", e.detail());
        return o;
    }

    /** A value kept as JSON text, back as JSON; null when there was none. */
    private static JsonValue value(String json) {
        if (json == null) {
            return JsonValue.NULL;
        }
        try (var r = Json.createReader(new StringReader(json))) {
            return r.readValue();
        } catch (RuntimeException e) {
            return Json.createValue(json);
        }
    }

    private static void text(JsonObjectBuilder o, String key, String value) {
        if (value == null) {
            o.addNull(key);
        } else {
            o.add(key, value);
        }
    }
}
