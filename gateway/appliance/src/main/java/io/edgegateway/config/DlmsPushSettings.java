package io.edgegateway.config;

import io.edgegateway.dlms.axdr.CosemUnit;
import io.edgegateway.dlms.push.PushLayout;
import io.edgegateway.dlms.push.PushObject;
import io.edgegateway.dlms.push.SystemTitle;
import io.edgegateway.dlms.security.Ciphering;
import io.edgegateway.point.CosemAddress;
import io.edgegateway.profile.ConfigNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code dlms-push}, refusing at load what could never work: a device without keys, a meter number that is not
 * a configured DLMS device, a system title given twice, a bad COSEM address or unit, a port out of range.
 *
 * <pre>
 * dlms-push:
 *   listen: {port: 4059, bind: 0.0.0.0}          # bind defaults to server.bind; port required (0: any free one)
 *   devices:
 *     - meter-no: "62124022447"                  # one of devices[]
 *       system-title: "4D4D4D0000BC614E"         # the meter's
 *       block-cipher-key-env: PUSH_EK            # or block-cipher-key: "..." (quoted), 32 hex digits
 *       authentication-key-env: PUSH_AK
 *       objects:                                 # the meter's push_object_list, in order
 *         - {cosem: 40/0.0.25.9.0.255/1}         # the push setup's logical name: skipped
 *         - {cosem: 3/1.0.1.8.0.255/2, scaler: 1, unit: Wh}
 * </pre>
 */
final class DlmsPushSettings {

    private static final Set<String> KEYS = Set.of("listen", "devices");
    private static final Set<String> LISTEN_KEYS = Set.of("port", "bind", "max-connections", "idle-timeout");
    private static final Set<String> DEVICE_KEYS = Set.of("meter-no", "system-title", "block-cipher-key",
            "block-cipher-key-env", "authentication-key", "authentication-key-env", "objects");
    private static final Set<String> OBJECT_KEYS = Set.of("cosem", "scaler", "unit");

    private DlmsPushSettings() {
    }

    static DlmsPushConfig parse(ConfigNode node, String serverBind, int serverPort, List<DeviceConfig> devices) {
        node.allowOnly(KEYS);
        ConfigNode listen = node.get("listen").allowOnly(LISTEN_KEYS);
        if (!listen.exists()) {
            throw listen.error("required: the port meters push to, e.g. listen: {port: 4059}");
        }
        int port = listen.integer("port", 0, 65535);
        if (port != 0 && port == serverPort) {
            throw listen.get("port").error(port + " is the HTTP port (server.port); meters push to a port of their"
                    + " own, 4059 by convention");
        }
        String bind = listen.string("bind", serverBind).trim();
        BindAddress.malformed(bind).ifPresent(problem -> {
            throw listen.get("bind").error(problem);
        });
        int maxConnections = listen.integer("max-connections", DlmsPushConfig.DEFAULT_MAX_CONNECTIONS, 1, 4096);
        Duration idle = listen.duration("idle-timeout", DlmsPushConfig.DEFAULT_IDLE_TIMEOUT);
        if (idle.compareTo(Duration.ofSeconds(1)) < 0) {
            throw listen.get("idle-timeout").error("must be at least 1 s, got " + idle.toMillis() + " ms");
        }
        List<DlmsPushConfig.Device> out = new ArrayList<>();
        Map<SystemTitle, String> titles = new HashMap<>();
        for (ConfigNode d : node.get("devices").list()) {
            DlmsPushConfig.Device device = device(d.allowOnly(DEVICE_KEYS), devices);
            if (out.stream().anyMatch(x -> x.meterNo().equals(device.meterNo()))) {
                throw d.get("meter-no").error("meter " + device.meterNo() + " is listed twice");
            }
            String other = titles.putIfAbsent(device.systemTitle(), device.meterNo());
            if (other != null) {
                throw d.get("system-title").error("system title " + device.systemTitle() + " is already meter "
                        + other + "'s; each meter pushes under its own");
            }
            out.add(device);
        }
        if (out.isEmpty()) {
            throw node.get("devices").error((node.has("devices") ? "the list is empty" : "missing")
                    + ": list the meters that push, with their system titles and keys");
        }
        return new DlmsPushConfig(bind, port, maxConnections, idle, out);
    }

    private static DlmsPushConfig.Device device(ConfigNode d, List<DeviceConfig> devices) {
        String meterNo = d.identifier("meter-no").trim();
        DeviceConfig target = devices.stream().filter(x -> x.meterNo().equals(meterNo)).findFirst()
                .orElseThrow(() -> d.get("meter-no").error("no device has meter-no " + meterNo + " (devices: "
                        + String.join(", ", devices.stream().map(DeviceConfig::meterNo).toList())
                        + "); a meter read with meter-no: auto needs its number written here and there"));
        if (target.dlms() == null) {
            throw d.get("meter-no").error("meter " + meterNo + " is not a DLMS device; only DLMS meters push");
        }
        SystemTitle title = d.convert("system-title", d.identifier("system-title"), "16 hex digits",
                SystemTitle::parse);
        Ciphering keys = keys(d);
        List<ConfigNode> nodes = d.get("objects").list();
        if (nodes.isEmpty()) {
            throw d.get("objects").error((d.has("objects") ? "the list is empty" : "missing")
                    + ": the meter's push_object_list, in order, e.g."
                    + " - {cosem: 3/1.0.1.8.0.255/2, scaler: 1, unit: Wh}");
        }
        List<PushObject> objects = new ArrayList<>();
        for (ConfigNode o : nodes) {
            objects.add(object(o.allowOnly(OBJECT_KEYS)));
        }
        try {
            return new DlmsPushConfig.Device(meterNo, title, keys, PushLayout.of(objects, target.points()));
        } catch (PushLayout.BadObjectException e) {
            throw nodes.get(e.index()).error(e.getMessage());
        }
    }

    private static PushObject object(ConfigNode o) {
        CosemAddress address = o.convert("cosem", o.string("cosem"), "class/obis/attribute such as 3/1.0.1.8.0.255/2",
                CosemAddress::parse);
        int scaler = o.integer("scaler", 0, -128, 127);
        String unit = o.string("unit", "").trim();
        if (!unit.isEmpty() && CosemUnit.bySymbol(unit).isEmpty()) {
            throw o.get("unit").error("'" + unit + "' is not a COSEM unit; a pushed value carries no prefix, so"
                    + " write its base unit and scaler (Wh with scaler 3, not kWh)");
        }
        return new PushObject(address, scaler, unit);
    }

    /** Both keys, inline or by environment variable; a push without keys could come from anyone. */
    private static Ciphering keys(ConfigNode d) {
        boolean any = d.has("block-cipher-key") || d.has("block-cipher-key-env") || d.has("authentication-key")
                || d.has("authentication-key-env");
        if (!any) {
            throw d.error("a push without keys is refused: give block-cipher-key (or block-cipher-key-env) and"
                    + " authentication-key (or authentication-key-env), the keys the meter ciphers its pushes with");
        }
        return new Ciphering(key(d, "block-cipher-key"), key(d, "authentication-key"));
    }

    // Never echo the value: it is a key.
    private static byte[] key(ConfigNode d, String name) {
        Optional<String> inline = d.optionalString(name); // not identifier(): its hint would echo the key
        Optional<String> env = d.optionalString(name + "-env");
        if (inline.isPresent() && env.isPresent()) {
            throw d.get(name + "-env").error("give " + name + " or " + name + "-env, not both");
        }
        String text;
        if (env.isPresent()) {
            text = System.getenv(env.get());
            if (text == null) {
                throw d.get(name + "-env").error("environment variable " + env.get() + " is not set");
            }
        } else {
            text = inline.orElseThrow(() -> d.get(name).error("required for a push (or " + name + "-env)"));
        }
        String clean = text.replaceAll("[\\s:]", "");
        try {
            byte[] v = HexFormat.of().parseHex(clean);
            if (v.length == 16) {
                return v;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw d.get(env.isPresent() ? name + "-env" : name).error("expected 32 hex digits (16 bytes), got "
                + clean.length() + " characters" + (env.isPresent() ? " in " + env.get()
                : "; quote the value in YAML so a key of digits only keeps its leading zeros"));
    }
}
