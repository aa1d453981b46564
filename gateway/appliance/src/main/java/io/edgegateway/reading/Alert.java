package io.edgegateway.reading;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One state of an alert, as it streams and is stored (docs/api.md, "Alerts"):
 * <pre>
 * {"alertId":"..","ruleId":"overvoltage","meterNo":"..","point":"L1 Voltage","value":254.1,"severity":"critical",
 *  "state":"raised","timestamp":".."}
 * </pre>
 *
 * @param alertId   the same for the raise, the acknowledgement and the clear of one occurrence
 * @param point     the point the rule watches, or null for a status rule
 * @param value     the value that raised or cleared it (a number, a string for a status rule), or null
 * @param timestamp when this state was reached
 * @param by        the token name that acknowledged it (state ACKNOWLEDGED), or null
 */
public record Alert(String alertId, String ruleId, String meterNo, String point, JsonValue value, Severity severity,
                    State state, Instant timestamp, String by) {

    public enum Severity {
        INFO, WARNING, CRITICAL;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum State {
        RAISED, CLEARED, ACKNOWLEDGED;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Alert {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(meterNo, "meterNo");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(timestamp, "timestamp");
        value = value == null ? JsonValue.NULL : value;
    }

    /** This alert in another state, at another time (and by whom, for an acknowledgement). */
    public Alert in(State next, JsonValue valueNow, Instant at, String who) {
        return new Alert(alertId, ruleId, meterNo, point, valueNow == null ? value : valueNow, severity, next, at, who);
    }

    /** The documented JSON of this alert state. */
    public String json() {
        JsonObjectBuilder o = Json.createObjectBuilder()
                .add("alertId", alertId)
                .add("ruleId", ruleId)
                .add("meterNo", meterNo);
        if (point == null) {
            o.addNull("point");
        } else {
            o.add("point", point);
        }
        o.add("value", value)
                .add("severity", severity.configName())
                .add("state", state.configName())
                .add("timestamp", ReadingJson.timestamp(timestamp));
        if (by != null) {
            o.add("by", by);
        }
        return o.build().toString();
    }

    /** Reads back what {@link #json()} wrote (the store keeps alerts in that form). */
    public static Alert parse(String json) {
        JsonObject o;
        try (JsonReader r = Json.createReader(new StringReader(json))) {
            o = r.readObject();
        }
        return new Alert(o.getString("alertId"), o.getString("ruleId"), o.getString("meterNo"),
                o.isNull("point") ? null : o.getString("point"), o.get("value"),
                Severity.valueOf(o.getString("severity").toUpperCase(Locale.ROOT)),
                State.valueOf(o.getString("state").toUpperCase(Locale.ROOT)),
                Instant.parse(o.getString("timestamp")), o.containsKey("by") ? o.getString("by") : null);
    }
}
