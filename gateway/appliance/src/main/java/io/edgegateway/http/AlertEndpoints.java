package io.edgegateway.http;

import io.edgegateway.alert.AlertBook;
import io.edgegateway.alert.AlertQuery;
import io.edgegateway.alert.AlertRule;
import io.edgegateway.alert.AlertWatch;
import io.edgegateway.alert.Occurrence;
import io.edgegateway.profile.ConfigException;
import io.edgegateway.profile.ConfigNode;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Alerts under {@code /api/alerts} (docs/api.md, "Alerts"): the list of occurrences, acknowledging one, and the
 * rules, which an admin may add, replace and delete at run time (without tokens configured: only from this
 * machine, as {@code /api/sse/send}).
 */
public final class AlertEndpoints implements HttpService {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final AlertWatch watch;
    private final Set<String> meterNos;
    private final boolean tokensConfigured;

    public AlertEndpoints(AlertWatch watch, Set<String> meterNos, boolean tokensConfigured) {
        this.watch = watch;
        this.meterNos = Set.copyOf(meterNos);
        this.tokensConfigured = tokensConfigured;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/rules", this::rules)
                .get("/rules/{id}", this::rule)
                .put("/rules/{id}", this::put)
                .delete("/rules/{id}", this::delete)
                .post("/{alertId}/ack", this::ack);
    }

    private void list(ServerRequest req, ServerResponse res) {
        String state = req.query().first("state").orElse("active");
        if (!state.equals("active") && !state.equals("all")) {
            JsonReply.error(res, Status.BAD_REQUEST_400, "bad-state", "state must be 'active' or 'all'");
            return;
        }
        Instant from;
        Instant to;
        try {
            from = req.query().first("from").map(Instant::parse).orElse(null);
            to = req.query().first("to").map(Instant::parse).orElse(null);
        } catch (DateTimeParseException e) {
            JsonReply.error(res, Status.BAD_REQUEST_400, "bad-time",
                    "from and to are ISO-8601 UTC times, e.g. 2026-12-01T03:00:00Z");
            return;
        }
        if (from != null && to != null && !from.isBefore(to)) {
            JsonReply.error(res, Status.BAD_REQUEST_400, "bad-range", "from must be before to");
            return;
        }
        String meter = req.query().first("meter").orElse(null);
        if (meter != null && !meterNos.contains(meter)) {
            JsonReply.error(res, Status.NOT_FOUND_404, "unknown-meter", "no meter " + meter);
            return;
        }
        int limit;
        try {
            limit = req.query().first("limit").map(Integer::parseInt).orElse(DEFAULT_LIMIT);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            JsonReply.error(res, Status.BAD_REQUEST_400, "bad-limit", "limit must be 1.." + MAX_LIMIT);
            return;
        }
        List<Occurrence> found;
        try {
            found = watch.list(new AlertQuery(state.equals("active"), from, to, meter, limit));
        } catch (AlertBook.Unavailable e) {
            JsonReply.error(res, Status.SERVICE_UNAVAILABLE_503, "store-unavailable", e.getMessage());
            return;
        }
        StringBuilder out = new StringBuilder("[");
        for (Occurrence o : found) {
            out.append(out.length() > 1 ? "," : "").append(o.json());
        }
        JsonReply.send(req, res, Status.OK_200, out.append(']').toString());
    }

    /** Any valid token may acknowledge; its name is recorded (without tokens configured, no name). */
    private void ack(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("alertId");
        String by = req.context().get(Caller.class).map(Caller::tokenName).orElse(null);
        AlertWatch.Ack ack;
        try {
            ack = watch.acknowledge(id, by);
        } catch (AlertBook.Unavailable e) {
            JsonReply.error(res, Status.SERVICE_UNAVAILABLE_503, "store-unavailable", e.getMessage());
            return;
        }
        switch (ack) {
            case AlertWatch.Ack.Done d -> JsonReply.send(res, Status.OK_200, d.alert().json());
            case AlertWatch.Ack.Unknown u -> JsonReply.error(res, Status.NOT_FOUND_404, "unknown-alert",
                    "no alert " + id);
            case AlertWatch.Ack.AlreadyCleared c -> JsonReply.error(res, Status.CONFLICT_409, "already-cleared",
                    "alert " + id + " cleared at " + c.occurrence().cleared() + "; only open alerts are acknowledged");
            case AlertWatch.Ack.AlreadyAcknowledged a -> JsonReply.error(res, Status.CONFLICT_409,
                    "already-acknowledged", "alert " + id + " was acknowledged at " + a.alert().timestamp()
                            + (a.alert().by() != null ? " by " + a.alert().by() : ""));
        }
    }

    private void rules(ServerRequest req, ServerResponse res) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        watch.rules().forEach(l -> a.add(listed(l)));
        JsonReply.send(req, res, Status.OK_200, a.build().toString());
    }

    private void rule(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        Optional<AlertWatch.Listed> l = watch.rule(id);
        if (l.isEmpty()) {
            JsonReply.error(res, Status.NOT_FOUND_404, "unknown-rule", "no alert rule " + id);
            return;
        }
        JsonReply.send(res, Status.OK_200, listed(l.get()).toString());
    }

    private void put(ServerRequest req, ServerResponse res) {
        if (!mayManage(req, res)) {
            return;
        }
        String id = req.path().pathParameters().get("id");
        Optional<JsonObject> read = JsonBody.of(req, res);
        if (read.isEmpty()) {
            return;
        }
        JsonObject body = read.get();
        JsonValue given = body.get("id");
        if (given != null && !given.equals(Json.createValue(id))) {
            badRule(res, "id", "must be the rule's id in the path, '" + id + "' (or left out)");
            return;
        }
        JsonObjectBuilder withId = Json.createObjectBuilder(body).add("id", id);
        AlertRule rule;
        try {
            // JSON is YAML: the body is read by the same code, with the same checks, as the config's alerts.
            rule = watch.parser().rule(ConfigNode.parse(withId.build().toString(), "PUT /api/alerts/rules/" + id));
        } catch (ConfigException e) {
            badRule(res, e.key(), e.problem());
            return;
        }
        AlertWatch.Change change;
        try {
            change = watch.put(rule);
        } catch (AlertBook.Unavailable e) {
            JsonReply.error(res, Status.SERVICE_UNAVAILABLE_503, "store-unavailable", e.getMessage());
            return;
        }
        switch (change) {
            case AlertWatch.Change.Created c -> JsonReply.send(res, Status.CREATED_201,
                    listed(AlertWatch.Listed.of(c.rule(), AlertWatch.Origin.RUNTIME)).toString());
            case AlertWatch.Change.Replaced r -> JsonReply.send(res, Status.OK_200,
                    listed(AlertWatch.Listed.of(r.rule(), AlertWatch.Origin.RUNTIME)).toString());
            case AlertWatch.Change.ConfigRule c -> configRule(res, id);
            default -> throw new IllegalStateException("unexpected " + change);
        }
    }

    private void delete(ServerRequest req, ServerResponse res) {
        if (!mayManage(req, res)) {
            return;
        }
        String id = req.path().pathParameters().get("id");
        AlertWatch.Change change;
        try {
            change = watch.delete(id);
        } catch (AlertBook.Unavailable e) {
            JsonReply.error(res, Status.SERVICE_UNAVAILABLE_503, "store-unavailable", e.getMessage());
            return;
        }
        switch (change) {
            case AlertWatch.Change.Deleted d -> JsonReply.send(res, Status.OK_200,
                    Json.createObjectBuilder().add("deleted", id).build().toString());
            case AlertWatch.Change.Unknown u -> JsonReply.error(res, Status.NOT_FOUND_404, "unknown-rule",
                    "no alert rule " + id);
            case AlertWatch.Change.ConfigRule c -> configRule(res, id);
            default -> throw new IllegalStateException("unexpected " + change);
        }
    }

    private static void configRule(ServerResponse res, String id) {
        JsonReply.error(res, Status.CONFLICT_409, "config-rule", "alert rule " + id + " is in the config file, "
                + "which wins over rules made at run time; edit the file to change it");
    }

    private static void badRule(ServerResponse res, String field, String message) {
        JsonReply.send(res, Status.BAD_REQUEST_400, Json.createObjectBuilder().add("error", "bad-rule")
                .add("field", field).add("message", field.isEmpty() ? message : field + ": " + message).build()
                .toString());
    }

    private boolean mayManage(ServerRequest req, ServerResponse res) {
        return !AdminOnly.refuses(req, res, tokensConfigured, "changing alert rules");
    }

    private static JsonObject listed(AlertWatch.Listed l) {
        JsonObject rule;
        try (JsonReader r = Json.createReader(new StringReader(l.json()))) {
            rule = r.readObject();
        } catch (JsonException e) {
            rule = Json.createObjectBuilder().add("id", l.id()).build(); // a stored row that is not JSON at all
        }
        JsonObjectBuilder o = Json.createObjectBuilder(rule).add("id", l.id()).add("origin", l.origin().configName());
        return (l.why() != null ? o.add("why", l.why()) : o).build();
    }
}
