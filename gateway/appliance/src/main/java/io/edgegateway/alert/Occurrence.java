package io.edgegateway.alert;

import io.edgegateway.reading.Alert;
import io.edgegateway.reading.ReadingJson;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.time.Instant;
import java.util.Objects;

/**
 * One alert from its raise to its clear, as {@code GET /api/alerts} lists it and the store's {@code alert} table
 * keeps it.
 *
 * @param value          the value that raised it
 * @param state          where it is now: raised, acknowledged or cleared
 * @param acknowledged   when it was acknowledged, or null
 * @param acknowledgedBy the token name that acknowledged it, or null
 * @param cleared        when it cleared, or null while it is active
 */
public record Occurrence(String alertId, String ruleId, String meterNo, String point, JsonValue value,
                         Alert.Severity severity, Alert.State state, Instant raised, Instant acknowledged,
                         String acknowledgedBy, Instant cleared) {

    public Occurrence {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(raised, "raised");
        value = value == null ? JsonValue.NULL : value;
    }

    /** The occurrence an alert's raise starts. */
    public static Occurrence raised(Alert a) {
        return new Occurrence(a.alertId(), a.ruleId(), a.meterNo(), a.point(), a.value(), a.severity(),
                Alert.State.RAISED, a.timestamp(), null, null, null);
    }

    /** This occurrence after a later state of its alert. */
    public Occurrence then(Alert a) {
        return switch (a.state()) {
            case RAISED -> this;
            case ACKNOWLEDGED -> new Occurrence(alertId, ruleId, meterNo, point, value, severity, a.state(), raised,
                    a.timestamp(), a.by(), cleared);
            case CLEARED -> new Occurrence(alertId, ruleId, meterNo, point, value, severity, a.state(), raised,
                    acknowledged, acknowledgedBy, a.timestamp());
        };
    }

    public boolean active() {
        return cleared == null;
    }

    /** Its latest state as an alert event would carry it (for an active one restored after a restart). */
    public Alert latest() {
        Instant at = acknowledged != null ? acknowledged : raised;
        return new Alert(alertId, ruleId, meterNo, point, value, severity, state, cleared != null ? cleared : at,
                acknowledgedBy);
    }

    public String json() {
        JsonObjectBuilder o = Json.createObjectBuilder()
                .add("alertId", alertId).add("ruleId", ruleId).add("meterNo", meterNo);
        if (point == null) {
            o.addNull("point");
        } else {
            o.add("point", point);
        }
        o.add("value", value).add("severity", severity.configName()).add("state", state.configName())
                .add("raised", ReadingJson.timestamp(raised));
        if (acknowledged != null) {
            o.add("acknowledged", ReadingJson.timestamp(acknowledged));
            if (acknowledgedBy != null) {
                o.add("acknowledgedBy", acknowledgedBy);
            }
        }
        if (cleared != null) {
            o.add("cleared", ReadingJson.timestamp(cleared));
        }
        return o.build().toString();
    }
}
