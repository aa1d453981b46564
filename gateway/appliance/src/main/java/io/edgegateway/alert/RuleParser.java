package io.edgegateway.alert;

import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.profile.ConfigNode;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.reading.Alert;
import io.edgegateway.reading.MeterStatus;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads alert rules, from the config's {@code alerts:} list or from a {@code PUT} body (JSON is YAML, so both go
 * through {@link ConfigNode} and are refused alike): unknown keys, meters and profiles, points a target device
 * lacks, a numeric condition on a text or flag point, {@code between} with one bound, a value that is not a number,
 * a negative hysteresis, a severity that is not info, warning or critical. Each refusal names the key.
 */
public final class RuleParser {

    static final Set<String> KEYS = Set.of("id", "meters", "profile", "point", "status", "condition", "value", "for",
            "hysteresis", "severity");
    /** A longer {@code for} is no alert anyone waits for, and {@code since + for} must stay a time. */
    static final Duration MAX_HOLD = Duration.ofDays(30);
    /**
     * Rule numbers are compared on every poll: one like {@code 1E+100000000} (13 characters) would expand to a
     * 40 MB integer in {@code limit - hysteresis}. Far beyond any meter's range or resolution.
     */
    static final int MAX_SCALE = 30;
    static final int MAX_INTEGER_DIGITS = 40;
    /** Rule ids appear in URLs, MQTT payloads and Sparkplug metric names. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Map<String, WatchedMeter> meters = new HashMap<>();
    private final List<WatchedMeter> inOrder;
    private final ProfileCatalog profiles;

    /** @param meters the gateway's devices, which rules may name and whose points they may watch */
    public RuleParser(List<WatchedMeter> meters, ProfileCatalog profiles) {
        this.inOrder = List.copyOf(meters);
        this.profiles = profiles;
        meters.forEach(m -> this.meters.putIfAbsent(m.meterNo(), m));
    }

    /** The {@code alerts:} list; an id given twice is refused. */
    public List<AlertRule> rules(ConfigNode list) {
        List<AlertRule> out = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (ConfigNode n : list.list()) {
            AlertRule r = rule(n);
            String first = seen.putIfAbsent(r.id(), n.key());
            if (first != null) {
                throw n.get("id").error("'" + r.id() + "' is already the id of " + first);
            }
            out.add(r);
        }
        return out;
    }

    /** One rule. */
    public AlertRule rule(ConfigNode n) {
        n.allowOnly(KEYS);
        String id = n.identifier("id").strip();
        if (!ID.matcher(id).matches()) {
            throw n.get("id").error("must be 1 to 64 letters, digits, '.', '_' or '-' (it appears in URLs and MQTT)");
        }
        if (n.has("meters") && n.has("profile")) {
            throw n.get("profile").error("give meters or profile, not both");
        }
        List<String> named = new ArrayList<>();
        for (ConfigNode m : n.get("meters").list()) {
            String meterNo = m.value().orElseThrow(() -> m.error("expected a meter number")).strip();
            if (!meters.containsKey(meterNo)) {
                throw m.error("no meter '" + meterNo + "' (known: " + String.join(", ", new TreeSet<>(meters.keySet()))
                        + ")");
            }
            named.add(meterNo);
        }
        if (n.has("meters") && named.isEmpty()) {
            throw n.get("meters").error("the list is empty; leave meters out to watch every device");
        }
        String profile = n.optionalString("profile").map(String::strip).orElse(null);
        if (profile != null && profiles.find(profile).isEmpty()) {
            throw n.get("profile").error("unknown profile '" + profile + "'");
        }
        if (profile != null && inOrder.stream().noneMatch(m -> m.profile().equals(profile))) {
            throw n.get("profile").error("no device uses profile '" + profile + "'");
        }
        if (n.has("point") == n.has("status")) {
            throw n.error(n.has("point") ? "give point or status, not both"
                    : "needs a point (with condition and value) or a status");
        }
        Duration hold = n.optionalDuration("for").orElse(Duration.ZERO);
        if (hold.isNegative()) {
            throw n.get("for").error("must not be negative");
        }
        if (hold.compareTo(MAX_HOLD) > 0) {
            throw n.get("for").error("must be at most 30 days (720h)");
        }
        Alert.Severity severity = n.optionalString("severity")
                .map(s -> severity(n, s))
                .orElse(Alert.Severity.WARNING);
        AlertRule.Watch watch = n.has("status") ? status(n) : point(n, named, profile);
        return new AlertRule(id, named, profile, watch, hold, severity);
    }

    private static Alert.Severity severity(ConfigNode n, String s) {
        try {
            return Alert.Severity.valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw n.get("severity").error("expected info, warning or critical, got '" + s + "'");
        }
    }

    private static AlertRule.StatusWatch status(ConfigNode n) {
        for (String k : List.of("condition", "value", "hysteresis")) {
            if (n.has(k)) {
                throw n.get(k).error("does not apply to a status rule");
            }
        }
        String s = n.string("status").strip();
        try {
            return new AlertRule.StatusWatch(MeterStatus.valueOf(s.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw n.get("status").error("expected CONNECTED, DISCONNECTED or ERROR, got '" + s + "'");
        }
    }

    private AlertRule.PointWatch point(ConfigNode n, List<String> named, String profile) {
        String point = n.string("point").strip();
        List<WatchedMeter> targets = inOrder.stream()
                .filter(m -> !named.isEmpty() ? named.contains(m.meterNo())
                        : profile == null || profile.equals(m.profile()))
                .toList();
        List<Point> points = new ArrayList<>();
        for (WatchedMeter m : targets) {
            Optional<Point> p = m.point(point);
            if (p.isEmpty() && (!named.isEmpty() || profile != null)) {
                throw n.get("point").error("no point '" + point + "' on meter " + m.meterNo()
                        + (m.profile().isEmpty() ? "" : " (profile " + m.profile() + ")"));
            }
            p.ifPresent(points::add);
        }
        if (points.isEmpty()) {
            throw n.get("point").error("no device has a point '" + point + "'");
        }
        String word = n.string("condition").strip().toLowerCase(Locale.ROOT);
        if (!List.of("gt", "lt", "eq", "between", "outside").contains(word)) {
            throw n.get("condition").error("expected gt, lt, eq, between or outside, got '" + word + "'");
        }
        if (!n.has("value")) {
            throw n.get("value").error("required");
        }
        BigDecimal hysteresis = n.optionalDecimal("hysteresis").map(h -> bounded(n.get("hysteresis"), h))
                .orElse(BigDecimal.ZERO);
        if (hysteresis.signum() < 0) {
            throw n.get("hysteresis").error("must not be negative, got " + hysteresis.toPlainString());
        }
        Condition c = switch (word) {
            case "gt" -> new Condition.Above(number(n), hysteresis);
            case "lt" -> new Condition.Below(number(n), hysteresis);
            case "between", "outside" -> bounds(n, word, hysteresis);
            default -> equal(n, hysteresis, points);
        };
        if (c.numeric()) {
            for (Point p : points) {
                kind(p).ifPresent(kind -> {
                    throw n.get("condition").error(word + " compares numbers, and '" + point + "' is " + kind);
                });
            }
        }
        return new AlertRule.PointWatch(point, c);
    }

    /** "text" or "a flag" for a point that holds no number; empty for a numeric one (or one only its answer tells). */
    private static Optional<String> kind(Point p) {
        if (p.address() instanceof ModbusAddress a) {
            if (a.type() == DataType.STRING) {
                return Optional.of("text");
            }
            if (a.type() == DataType.BOOL) {
                return Optional.of("a flag");
            }
        }
        return Optional.empty();
    }

    private static BigDecimal number(ConfigNode n) {
        ConfigNode v = n.get("value");
        if (!v.isLeaf()) {
            throw v.error("expected one number for " + n.string("condition").strip()
                    + " (two bounds are for between and outside)");
        }
        return decimal(v, v.value().orElse(""));
    }

    private static BigDecimal decimal(ConfigNode at, String text) {
        BigDecimal d;
        try {
            d = new BigDecimal(text.strip().replace("_", ""));
        } catch (NumberFormatException e) {
            throw at.error("not a number: '" + text + "'");
        }
        return bounded(at, d);
    }

    /** Refuses a number of more than 40 integer digits or 30 decimals (or an exponent that means as much). */
    private static BigDecimal bounded(ConfigNode at, BigDecimal d) {
        if (Math.abs((long) d.scale()) > MAX_SCALE || (long) d.precision() - d.scale() > MAX_INTEGER_DIGITS) {
            throw at.error("out of range: at most " + MAX_INTEGER_DIGITS + " digits before the point and "
                    + MAX_SCALE + " after it");
        }
        return d;
    }

    private static Condition bounds(ConfigNode n, String word, BigDecimal hysteresis) {
        ConfigNode v = n.get("value");
        List<ConfigNode> items = v.isLeaf() ? List.of() : v.list();
        if (items.size() != 2) {
            throw v.error(word + " needs two bounds, [low, high]" + (v.isLeaf() || items.size() == 1
                    ? ", got one" : ", got " + items.size()));
        }
        BigDecimal low = decimal(items.get(0), items.get(0).value().orElse(""));
        BigDecimal high = decimal(items.get(1), items.get(1).value().orElse(""));
        if (low.compareTo(high) >= 0) {
            throw v.error("the low bound " + low.toPlainString() + " must be below the high bound "
                    + high.toPlainString());
        }
        if (word.equals("outside")) {
            if (hysteresis.multiply(BigDecimal.TWO).compareTo(high.subtract(low)) >= 0) {
                throw n.get("hysteresis").error(hysteresis.toPlainString() + " leaves no value between "
                        + low.toPlainString() + " and " + high.toPlainString() + " that clears the alert");
            }
            return new Condition.Outside(low, high, hysteresis);
        }
        return new Condition.Between(low, high, hysteresis);
    }

    private static Condition equal(ConfigNode n, BigDecimal hysteresis, List<Point> points) {
        if (hysteresis.signum() != 0) {
            throw n.get("hysteresis").error("does not apply to eq");
        }
        ConfigNode v = n.get("value");
        if (!v.isLeaf()) {
            throw v.error("expected one value for eq");
        }
        String text = v.value().orElse("").strip();
        BigDecimal number;
        try {
            number = bounded(v, new BigDecimal(text));
        } catch (NumberFormatException e) {
            number = null;
        }
        if (number == null) {
            for (Point p : points) {
                boolean flag = kind(p).filter(k -> k.equals("a flag")).isPresent();
                boolean plainText = kind(p).filter(k -> k.equals("text")).isPresent();
                if (plainText || flag && Set.of("true", "false").contains(text.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                if (p.labels().isEmpty() && p.address() instanceof ModbusAddress) {
                    throw v.error("not a number, and '" + p.name() + "' has no labels to compare it with");
                }
                if (!p.labels().isEmpty() && !p.labels().containsValue(text)) {
                    throw v.error("'" + text + "' is not a label of '" + p.name() + "' (its labels: "
                            + String.join(", ", new TreeSet<>(p.labels().values())) + ")");
                }
            }
        }
        return new Condition.Equal(number, text);
    }
}
