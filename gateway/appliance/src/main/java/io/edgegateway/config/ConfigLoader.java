package io.edgegateway.config;

import io.edgegateway.alert.RuleParser;
import io.edgegateway.alert.WatchedMeter;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.client.DlmsSettings;
import io.edgegateway.modbus.transport.MbapTransport;
import io.edgegateway.profile.RequestLimits;
import io.edgegateway.point.Point;
import io.edgegateway.poll.Backoff;
import io.edgegateway.profile.ConfigException;
import io.edgegateway.profile.ConfigNode;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.PointParser;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.profile.ProfileParser;
import io.edgegateway.profile.Protocol;
import io.edgegateway.serial.Parity;
import io.edgegateway.serial.SerialSettings;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and validates the gateway's YAML file. Everything is checked before anything runs: unknown keys, types
 * and ranges, unknown profiles and buses, duplicate meter numbers, two buses on one serial port, point names in
 * groups. Any problem is a {@link ConfigException} naming the file, the key and what is wrong.
 */
public final class ConfigLoader {

    private static final Set<String> ROOT_KEYS = Set.of("server", "sse", "security", "cors", "polling", "profiles",
            "state-dir", "storage", "buses", "devices", "gateway-id", "uplink", "dlms-push", "alerts");
    private static final Set<String> UPLINK_KEYS = Set.of("mqtt");
    private static final Set<String> MQTT_KEYS = Set.of("url", "client-id", "username", "password-env", "tls", "format",
            "topic-prefix", "group-id", "qos", "max-inflight", "drain-rate");
    private static final Set<String> TLS_KEYS = Set.of("ca-file", "cert-file", "key-file");
    private static final Set<String> STORAGE_KEYS = Set.of("enabled", "path", "commit-interval", "sync", "retention",
            "max-size", "audit-max-rows");
    private static final Set<String> SERVER_KEYS = Set.of("port", "bind");
    private static final Set<String> SSE_KEYS = Set.of("heartbeat", "retry", "max-clients", "queue-size",
            "client-timeout", "replay-size", "compression", "max-compressed");
    private static final Set<String> SECURITY_KEYS = Set.of("tokens");
    private static final Set<String> TOKEN_KEYS = Set.of("name", "token", "token-env", "token-file", "admin",
            "write", "user");
    private static final Set<String> CORS_KEYS = Set.of("allowed-origins");
    private static final Set<String> POLLING_KEYS = Set.of("backoff-base", "backoff-max", "retry-share");
    private static final Set<String> BUS_KEYS = Set.of("name", "type", "host", "port", "device", "baud", "parity",
            "data-bits", "stop-bits", "rs485", "rts-active-high", "rts-delay-before", "rts-delay-after", "timeout",
            "connect-timeout", "pause", "late-reply-guard", "max-outstanding");
    private static final Set<String> DEVICE_KEYS = Set.of("meter-no", "bus", "unit-id", "profile", "points",
            "interval", "groups", "limits", "dlms", "load-profiles", "clock");
    private static final Set<String> LOAD_PROFILE_KEYS = Set.of("obis", "every", "backfill");
    private static final Set<String> CLOCK_KEYS = Set.of("check", "sync-when-drift-exceeds");
    /** Meters keep about a year of daily rows at most; a longer backfill is a typo (7d meant, 7y written?). */
    private static final Duration MAX_BACKFILL = Duration.ofDays(400);
    private static final Set<String> GROUP_KEYS = Set.of("name", "interval", "points");
    private static final int MIN_TOKEN_LENGTH = 16;

    private ConfigLoader() {
    }

    /** Reads {@code file} with environment variables and system properties overriding its values. */
    public static GatewayConfig load(Path file) {
        Path base = file.toAbsolutePath().getParent();
        return parse(ConfigNode.readFile(file).withOverrides(fromOutside()), base);
    }

    /** Reads a config given as YAML text, without environment overrides. */
    public static GatewayConfig loadYaml(String yaml, String sourceName, Path base) {
        return parse(ConfigNode.parse(yaml, sourceName), base);
    }

    /**
     * Reads a config given as YAML text (the demo's) with environment variables and system properties overriding
     * its values, as {@link #load(Path)} does for a file.
     */
    public static GatewayConfig loadYamlWithOverrides(String yaml, String sourceName, Path base) {
        return parse(ConfigNode.parse(yaml, sourceName).withOverrides(fromOutside()), base);
    }

    private static ConfigNode.Overrides fromOutside() {
        // Helidon maps the variables to keys: SERVER_PORT is server.port, SSE_MAX_DASH_CLIENTS sse.max-clients.
        Config outside = Config.builder()
                .sources(ConfigSources.environmentVariables(), ConfigSources.systemProperties())
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .build();
        return new ConfigNode.Overrides() {
            @Override
            public Optional<String> value(String key) {
                Config c = outside.get(key);
                return c.isLeaf() ? c.asString().asOptional() : Optional.empty();
            }

            @Override
            public boolean hasChildren(String key) {
                Config c = outside.get(key);
                return c.exists() && !c.isLeaf();
            }
        };
    }

    static GatewayConfig parse(ConfigNode root, Path base) {
        root.allowOnly(ROOT_KEYS);

        ConfigNode server = root.get("server").allowOnly(SERVER_KEYS);
        int port = server.integer("port", 8080, 0, 65535);
        String bind = bindAddress(server);

        ConfigNode sseNode = root.get("sse").allowOnly(SSE_KEYS);
        SseConfig d = SseConfig.DEFAULT;
        SseConfig sse = new SseConfig(
                atLeast(sseNode, "heartbeat", d.heartbeat(), Duration.ofSeconds(1)),
                atLeast(sseNode, "retry", d.retry(), Duration.ofMillis(100)),
                sseNode.integer("max-clients", d.maxClients(), 1, 1_000_000),
                sseNode.integer("queue-size", d.queueSize(), 8, 100_000),
                atLeast(sseNode, "client-timeout", d.clientTimeout(), Duration.ofMillis(100)),
                sseNode.integer("replay-size", d.replaySize(), 1, 1_000_000),
                sseNode.convert("compression", sseNode.string("compression", "auto"), "auto or off",
                        SseConfig.Compression::parse),
                sseNode.integer("max-compressed", d.maxCompressed(), 0, 100_000));

        List<AccessToken> tokens = tokens(root.get("security").allowOnly(SECURITY_KEYS).get("tokens"), base);

        List<String> origins = new ArrayList<>();
        for (ConfigNode o : root.get("cors").allowOnly(CORS_KEYS).get("allowed-origins").list()) {
            origins.add(origin(o));
        }

        ConfigNode polling = root.get("polling").allowOnly(POLLING_KEYS);
        Duration backoffBase = atLeast(polling, "backoff-base", Backoff.DEFAULT.base(), Duration.ofMillis(10));
        Duration backoffMax = atLeast(polling, "backoff-max", Backoff.DEFAULT.max(), backoffBase);
        double retryShare = polling.optionalDecimal("retry-share").map(BigDecimal::doubleValue).orElse(0.25);
        if (retryShare <= 0 || retryShare > 1) {
            throw polling.get("retry-share").error("must be above 0 and at most 1, got " + retryShare);
        }

        ProfileCatalog profiles = root.optionalString("profiles")
                .map(p -> {
                    try {
                        return ProfileCatalog.withDirectory(base.resolve(p));
                    } catch (ConfigException e) {
                        if (e.key().isEmpty()) {
                            throw root.get("profiles").error(e.problem() + ": " + base.resolve(p));
                        }
                        throw e;
                    }
                })
                .orElseGet(ProfileCatalog::shipped);
        Path stateDir = base.resolve(root.string("state-dir", "/var/lib/gateway"));

        StorageConfig storage = storage(root.get("storage").allowOnly(STORAGE_KEYS), base, stateDir);

        List<BusConfig> buses = buses(root.get("buses"));
        List<DeviceConfig> devices = devices(root.get("devices"), buses, profiles, stateDir);
        requireSomethingToPoll(root, buses, devices);
        String gatewayId = gatewayId(root);
        Optional<UplinkConfig> uplink = root.get("uplink").allowOnly(UPLINK_KEYS).has("mqtt")
                ? Optional.of(UplinkSettings.parse(root.get("uplink").get("mqtt").allowOnly(MQTT_KEYS), TLS_KEYS, base,
                        gatewayId))
                : Optional.empty();
        return new GatewayConfig(root.source(), bind, port, sse, tokens, origins, new Backoff(backoffBase, backoffMax),
                retryShare, stateDir, storage, profiles, buses, devices, gatewayId, uplink,
                dlmsPush(root, bind, port, devices), alertRules(profiles, devices).rules(root.get("alerts")));
    }

    /** Reads alert rules against these devices: the config's, and those made at run time (the same checks). */
    public static RuleParser alertRules(ProfileCatalog profiles, List<DeviceConfig> devices) {
        return new RuleParser(devices.stream().map(d -> new WatchedMeter(d.meterNo(), d.profile(), d.points()))
                .toList(), profiles);
    }

    /**
     * The gateway's name in the fleet: a level of MQTT topics and the Sparkplug edge node id, so it may hold none of
     * {@code / + #}. The host name by default, which is what an installer sees in {@code hostname}.
     */
    private static String gatewayId(ConfigNode root) {
        // The host name is looked up only when it is needed: it may wait on DNS.
        boolean uplink = root.get("uplink").has("mqtt");
        String id = root.optionalString("gateway-id").map(String::trim).orElseGet(() -> uplink ? hostName() : "gateway");
        UplinkSettings.topicLevel(id).ifPresent(problem -> {
            throw root.get("gateway-id").error(problem);
        });
        if (uplink && !root.has("gateway-id") && GENERIC_HOST_NAMES.contains(id)) {
            throw root.get("gateway-id").error("missing, and the host name '" + id + "' is what every image of this"
                    + " system is called: two gateways would take each other's MQTT session and topics. Set"
                    + " gateway-id (or the host name) to this gateway's own name");
        }
        return id;
    }

    private static final Set<String> GENERIC_HOST_NAMES = Set.of("localhost", "raspberrypi", "debian", "ubuntu",
            "gateway", "");

    private static String hostName() {
        try {
            String h = InetAddress.getLocalHost().getHostName();
            int dot = h.indexOf('.');
            return dot > 0 ? h.substring(0, dot) : h;
        } catch (UnknownHostException e) {
            return "gateway";
        }
    }

    /**
     * A file that polls nothing is a mistake, not a gateway: {@code run} would listen, say UP and read no meter.
     * The demo is the way to run without devices.
     */
    private static void requireSomethingToPoll(ConfigNode root, List<BusConfig> buses, List<DeviceConfig> devices) {
        String hint = "; a gateway needs at least one bus and one device (`bin/gateway demo` runs without a config)";
        if (root.children().isEmpty()) {
            throw root.error("the file is empty" + hint);
        }
        if (buses.isEmpty()) {
            throw root.get("buses").error((root.has("buses") ? "the list is empty" : "missing") + hint);
        }
        if (devices.isEmpty()) {
            throw root.get("devices").error((root.has("devices") ? "the list is empty" : "missing") + hint);
        }
    }

    /**
     * The address to listen on, checked for form here: a malformed address can never work, so it is refused at load
     * with the file and the key. Whether it belongs to this machine is not: an interface or a DHCP lease may come up
     * after the gateway starts, and systemd restarts a gateway that could not bind (see {@link BindAddress}).
     */
    private static String bindAddress(ConfigNode server) {
        String bind = server.string("bind", "127.0.0.1").trim();
        BindAddress.malformed(bind).ifPresent(problem -> {
            throw server.get("bind").error(problem);
        });
        return bind;
    }

    /** Why a file cannot be read, in an installer's words rather than the exception's bare file name. */
    private static String whyUnreadable(Path f, IOException e) {
        if (e instanceof NoSuchFileException) {
            return Files.exists(f.getParent() == null ? f : f.getParent()) ? "no such file"
                    : "no such file (its directory " + f.getParent() + " does not exist either)";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied (the gateway runs as its own user; make the file readable to it)";
        }
        if (Files.isDirectory(f)) {
            return "it is a directory, not a file";
        }
        return e.getMessage() != null && !e.getMessage().equals(f.toString()) ? e.getMessage()
                : e.getClass().getSimpleName();
    }

    private static StorageConfig storage(ConfigNode s, Path base, Path stateDir) {
        StorageConfig d = StorageConfig.defaults(stateDir);
        Duration commit = s.duration("commit-interval", d.commitInterval());
        if (commit.isNegative() || commit.compareTo(Duration.ofMinutes(1)) > 0) {
            throw s.get("commit-interval").error("must be 0 (commit every event) .. 1m, got " + commit.toMillis()
                    + " ms");
        }
        StorageConfig.Sync sync = s.convert("sync", s.string("sync", "normal"), "normal or full",
                v -> switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
                    case "normal" -> StorageConfig.Sync.NORMAL;
                    case "full" -> StorageConfig.Sync.FULL;
                    default -> throw new IllegalArgumentException("expected normal or full, got '" + v + "'");
                });
        Duration retention = s.duration("retention", d.retention());
        if (retention.compareTo(Duration.ofHours(1)) < 0) {
            throw s.get("retention").error("must be at least 1h, got " + retention.toMinutes() + " min");
        }
        long maxSize = s.optionalString("max-size").map(v -> s.convert("max-size", v, "a size such as 500MB or 2GB",
                ConfigNode::parseSize)).orElse(d.maxSize());
        if (maxSize < 1_000_000) {
            throw s.get("max-size").error("must be at least 1MB, got " + maxSize + " bytes");
        }
        int auditRows = s.integer("audit-max-rows", d.auditMaxRows(), 1000, 100_000_000);
        Path path = s.optionalString("path").map(p -> base.resolve(p)).orElse(d.path());
        return new StorageConfig(s.bool("enabled", true), path, commit, sync, retention, maxSize, auditRows);
    }

    private static Duration atLeast(ConfigNode node, String key, Duration dflt, Duration min) {
        Duration v = node.duration(key, dflt);
        if (v.compareTo(min) < 0) {
            throw node.get(key).error("must be at least " + min.toMillis() + " ms, got " + v.toMillis() + " ms");
        }
        return v;
    }

    private static List<AccessToken> tokens(ConfigNode list, Path base) {
        List<AccessToken> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> secrets = new HashSet<>();
        for (ConfigNode t : list.list()) {
            t.allowOnly(TOKEN_KEYS);
            String name = t.string("name");
            if (!names.add(name)) {
                throw t.get("name").error("token name '" + name + "' appears twice");
            }
            int given = (t.has("token") ? 1 : 0) + (t.has("token-env") ? 1 : 0) + (t.has("token-file") ? 1 : 0);
            if (given != 1) {
                throw t.error("give exactly one of token, token-env, token-file");
            }
            String secret;
            if (t.has("token")) {
                secret = t.string("token");
            } else if (t.has("token-env")) {
                String var = t.string("token-env");
                secret = System.getenv(var);
                if (secret == null) {
                    throw t.get("token-env").error("environment variable " + var + " is not set");
                }
            } else {
                Path f = base.resolve(t.string("token-file"));
                try {
                    secret = Files.readString(f).strip();
                } catch (IOException e) {
                    throw t.get("token-file").error("cannot read " + f + ": " + whyUnreadable(f, e));
                }
            }
            // Never echo the secret itself in a message.
            if (secret.length() < MIN_TOKEN_LENGTH) {
                throw t.error("token of '" + name + "' is too short (" + secret.length() + " characters; use at least "
                        + MIN_TOKEN_LENGTH + ", e.g. from `openssl rand -hex 16`)");
            }
            if (!secret.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
                throw t.error("token of '" + name + "' must be printable ASCII without spaces");
            }
            if (!secrets.add(secret)) {
                throw t.error("token of '" + name + "' is the same as another token's");
            }
            String user = t.has("user") ? t.string("user").strip() : null;
            if (user != null && user.isEmpty()) {
                throw t.get("user").error("must be a user id, or left out");
            }
            out.add(new AccessToken(name, secret, t.bool("admin", false), t.bool("write", false), user));
        }
        return out;
    }

    private static String origin(ConfigNode o) {
        String v = o.value().orElse("").trim();
        if (v.equals("*")) {
            return v;
        }
        try {
            URI u = URI.create(v);
            if (u.getScheme() == null || u.getHost() == null || (u.getPath() != null && !u.getPath().isEmpty())) {
                throw new IllegalArgumentException();
            }
            return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
        } catch (IllegalArgumentException e) {
            throw o.error("not an origin: '" + v + "' (expected scheme://host[:port], e.g. https://hes.example.com, or *)");
        }
    }

    private static List<BusConfig> buses(ConfigNode list) {
        List<BusConfig> out = new ArrayList<>();
        Map<String, String> serialPorts = new HashMap<>();
        for (ConfigNode b : list.list()) {
            b.allowOnly(BUS_KEYS);
            String name = b.string("name");
            if (out.stream().anyMatch(x -> x.name().equals(name))) {
                throw b.get("name").error("bus name '" + name + "' appears twice");
            }
            BusType type = b.convert("type", b.string("type"), "a bus type", BusType::parse);
            Duration timeout = atLeast(b, "timeout", type.serial() ? Duration.ofMillis(500) : Duration.ofSeconds(1),
                    Duration.ofMillis(20));
            Duration connectTimeout = atLeast(b, "connect-timeout", Duration.ofSeconds(3), Duration.ofMillis(50));
            Duration pause = b.duration("pause", type.serial() ? Duration.ofMillis(5) : Duration.ZERO);
            Duration guard = b.duration("late-reply-guard", timeout);
            if (type.serial()) {
                for (String k : List.of("host", "port")) {
                    if (b.has(k)) {
                        throw b.get(k).error("not used by a " + type.configName() + " bus (a serial line); use device");
                    }
                }
                String device = b.string("device");
                SerialSettings s;
                try {
                    s = new SerialSettings(device, b.integer("baud", 9600, 50, 4_000_000),
                            b.integer("data-bits", 8, 5, 8),
                            b.convert("parity", b.string("parity", "none"), "a parity", Parity::parse),
                            b.integer("stop-bits", 1, 1, 2), b.bool("rs485", false), b.bool("rts-active-high", true),
                            (int) b.duration("rts-delay-before", Duration.ZERO).toNanos() / 1000,
                            (int) b.duration("rts-delay-after", Duration.ZERO).toNanos() / 1000);
                } catch (IllegalArgumentException e) {
                    throw b.error(e.getMessage());
                }
                String canonical = canonicalPort(device);
                String other = serialPorts.put(canonical, name);
                if (other != null) {
                    throw b.get("device").error("bus '" + other + "' already uses serial port " + device
                            + "; one RS-485 line has one master: put both buses' devices on one bus");
                }
                maxOutstanding(b, type, pause); // refused on a serial line, not ignored
                out.add(new BusConfig(name, type, null, 0, s, timeout, connectTimeout, pause, guard));
            } else {
                for (String k : List.of("device", "baud", "parity", "data-bits", "stop-bits", "rs485")) {
                    if (b.has(k)) {
                        throw b.get(k).error("not used by a " + type.configName() + " bus (TCP); use host and port");
                    }
                }
                out.add(new BusConfig(name, type, b.string("host"), b.integer("port", type.defaultPort(), 1, 65535),
                        null, timeout, connectTimeout, pause, guard, maxOutstanding(b, type, pause)));
            }
        }
        return out;
    }

    /**
     * Several transactions in flight need ids to tell their answers apart (Modbus TCP's MBAP header), and leave no
     * pause between requests.
     */
    private static int maxOutstanding(ConfigNode b, BusType type, Duration pause) {
        if (!b.has("max-outstanding")) {
            return 1;
        }
        if (type != BusType.MODBUS_TCP) {
            throw b.get("max-outstanding").error("only a modbus-tcp bus can keep several requests in flight (its "
                    + "answers carry transaction ids); a " + type.configName() + " bus has one at a time");
        }
        int n = b.integer("max-outstanding", 1, 1, MbapTransport.MAX_OUTSTANDING);
        if (n > 1 && !pause.isZero()) {
            throw b.get("max-outstanding").error("several requests in flight leave no pause between them: remove "
                    + "pause, or set max-outstanding to 1");
        }
        return n;
    }

    private static String canonicalPort(String device) {
        Path p = Path.of(device);
        try {
            return p.toRealPath().toString();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize().toString();
        }
    }

    private static List<DeviceConfig> devices(ConfigNode list, List<BusConfig> buses, ProfileCatalog profiles,
                                              Path stateDir) {
        List<DeviceConfig> out = new ArrayList<>();
        Map<String, String> meterNos = new HashMap<>();
        Map<String, String> unitsOnBus = new HashMap<>();
        for (ConfigNode d : list.list()) {
            d.allowOnly(DEVICE_KEYS);
            String meterNo = d.identifier("meter-no").trim();
            String busName = d.string("bus");
            BusConfig bus = buses.stream().filter(b -> b.name().equals(busName)).findFirst()
                    .orElseThrow(() -> d.get("bus").error("no bus named '" + busName + "' (buses: "
                            + String.join(", ", buses.stream().map(BusConfig::name).toList()) + ")"));
            Protocol protocol = bus.type().protocol();
            if (meterNo.equals(DeviceConfig.AUTO)) {
                if (protocol != Protocol.DLMS) {
                    throw d.get("meter-no").error("auto reads the meter's serial number (OBIS 0.0.96.1.0.255), which "
                            + "only DLMS meters have; give this " + bus.type().configName() + " meter a number");
                }
            } else if (meterNo.isEmpty() || !meterNo.matches(DeviceConfig.METER_NO_PATTERN)) {
                throw d.get("meter-no").error("use letters, digits, '.', '_', ':' and '-' only (it appears in URLs), got '"
                        + meterNo + "'");
            } else {
                String first = meterNos.putIfAbsent(meterNo, d.key() + " (line " + d.line() + ")");
                if (first != null) {
                    throw d.get("meter-no").error("meter number " + meterNo + " is used twice (first at " + first + ")");
                }
            }

            int unitId = protocol == Protocol.MODBUS
                    ? d.integer("unit-id", bus.type().serial() ? 1 : 0, bus.type().serial() ? 247 : 255)
                    : d.integer("unit-id", 1, 0, 0x3FFF);
            if (protocol == Protocol.MODBUS) {
                String sameUnit = unitsOnBus.put(busName + "/" + unitId, meterNo);
                if (sameUnit != null) {
                    throw d.get("unit-id").error("unit id " + unitId + " on bus '" + busName + "' is already meter "
                            + sameUnit);
                }
            }

            boolean hasProfile = d.has("profile");
            boolean hasPoints = d.has("points");
            if (hasProfile == hasPoints) {
                throw d.error(hasProfile ? "give either profile or points, not both" : "needs a profile or inline points");
            }
            String profileName = "";
            List<Point> points;
            RequestLimits limits;
            if (hasProfile) {
                profileName = d.string("profile");
                DeviceProfile p = profiles.find(profileName).orElseThrow(() -> d.get("profile").error(
                        "unknown profile '" + d.string("profile") + "' (known: " + String.join(", ", profiles.names()) + ")"));
                if (p.protocol() != protocol) {
                    throw d.get("profile").error("profile '" + p.name() + "' is " + p.protocol().configName()
                            + " but bus '" + busName + "' is " + bus.type().configName());
                }
                points = p.points();
                limits = p.limits();
            } else {
                points = new ArrayList<>();
                Set<String> names = new HashSet<>();
                for (ConfigNode pn : d.get("points").list()) {
                    Point p = PointParser.parse(pn, protocol);
                    if (!names.add(p.name())) {
                        throw pn.get("name").error("point name '" + p.name() + "' appears twice");
                    }
                    points.add(p);
                }
                if (points.isEmpty()) {
                    throw d.get("points").error("needs at least one point");
                }
                limits = RequestLimits.DEFAULT;
            }
            limits = ProfileParser.limits(d.get("limits"), limits);

            Duration interval = atLeast(d, "interval", Duration.ofSeconds(5), Duration.ofMillis(100));
            List<GroupConfig> groups = groups(d.get("groups"), points);

            DlmsSettings dlms = null;
            if (protocol == Protocol.DLMS) {
                dlms = DlmsDeviceSettings.parse(bus, d.get("dlms"), unitId, stateDir);
            } else if (d.has("dlms")) {
                throw d.get("dlms").error("dlms settings on a device of " + bus.type().configName() + " bus '" + busName + "'");
            }
            if (protocol == Protocol.DLMS) {
                // A DLMS server is its logical and physical address: several meters share a line (HDLC
                // multi-drop) or a gateway's TCP port (the wrapper's logical addresses) by them.
                String address = busName + "/" + unitId + "/" + dlms.serverPhysical();
                String sameAddress = unitsOnBus.put(address, meterNo);
                if (sameAddress != null) {
                    throw d.get(d.get("dlms").has("server-physical") ? "dlms" : "unit-id").error("meter " + sameAddress
                            + " on bus '" + busName + "' has the same address (logical " + unitId + ", physical "
                            + dlms.serverPhysical() + "); on a shared line give each meter its own "
                            + "dlms.server-physical");
                }
            }
            if (bus.type() == BusType.DLMS_SERIAL && dlms.modeE()
                    && list.list().stream().filter(x -> x.string("bus", "").equals(busName)).count() > 1) {
                throw d.get("dlms").error("mode-e is the optical head's sign-on to one meter; a multi-drop line has "
                        + "several");
            }
            List<LoadProfileConfig> loadProfiles = List.of();
            ClockPolicy clock = null;
            if (protocol == Protocol.DLMS) {
                DeviceProfile known = hasProfile ? profiles.find(profileName).orElseThrow() : null;
                loadProfiles = loadProfiles(d.get("load-profiles"), known);
                clock = clockPolicy(d.get("clock"), dlms);
            } else {
                for (String key : List.of("load-profiles", "clock")) {
                    if (d.has(key)) {
                        throw d.get(key).error("a DLMS setting, but bus '" + busName + "' is "
                                + bus.type().configName());
                    }
                }
            }
            out.add(new DeviceConfig(meterNo, busName, unitId, profileName, points, interval, groups, limits, dlms,
                    loadProfiles, clock));
        }
        return out;
    }

    private static List<LoadProfileConfig> loadProfiles(ConfigNode list, DeviceProfile profile) {
        List<LoadProfileConfig> out = new ArrayList<>();
        Set<ObisCode> seen = new HashSet<>();
        for (ConfigNode n : list.list()) {
            n.allowOnly(LOAD_PROFILE_KEYS);
            ObisCode obis = n.convert("obis", n.string("obis"), "an OBIS code like 1.0.99.1.0.255", ObisCode::parse);
            List<DeviceProfile.ProfileGenericInfo> listed = profile == null ? List.of() : profile.profileGenerics();
            if (!listed.isEmpty() && listed.stream().noneMatch(g -> ObisCode.parse(g.obis()).equals(obis))) {
                throw n.get("obis").error("profile '" + profile.name() + "' has no Profile Generic "
                        + obis + " (it has "
                        + String.join(", ", listed.stream().map(g -> g.obis() + " " + g.name()).toList()) + ")");
            }
            if (obis.c() != 99) {
                throw n.get("obis").error(obis + " is not a Profile Generic (load profiles are a.b.99.d.e.f, e.g. "
                        + "1.0.99.1.0.255; event logs 0.0.99.98.x.255)");
            }
            if (!seen.add(obis)) {
                throw n.get("obis").error(obis + " is read twice");
            }
            Duration every = n.optionalDuration("every").orElseThrow(() -> n.get("every").error("required (e.g. 15m)"));
            if (every.compareTo(Duration.ofMinutes(1)) < 0) {
                throw n.get("every").error("must be at least 1 min (a meter captures rows every 15 min or so), got "
                        + every.toMillis() + " ms");
            }
            Duration backfill = n.duration("backfill", Duration.ofDays(1));
            if (backfill.isNegative() || backfill.compareTo(MAX_BACKFILL) > 0) {
                throw n.get("backfill").error("must be between 0 and " + MAX_BACKFILL.toDays() + "d, got " + backfill);
            }
            out.add(new LoadProfileConfig(obis, every, backfill));
        }
        return out;
    }

    private static ClockPolicy clockPolicy(ConfigNode c, DlmsSettings dlms) {
        if (!c.exists()) {
            return null;
        }
        c.allowOnly(CLOCK_KEYS);
        Duration check = c.duration("check", Duration.ofHours(1));
        if (check.compareTo(Duration.ofMinutes(1)) < 0) {
            throw c.get("check").error("must be at least 1 min, got " + check.toMillis() + " ms");
        }
        Duration sync = c.optionalDuration("sync-when-drift-exceeds").orElse(null);
        if (sync != null) {
            if (sync.compareTo(Duration.ofSeconds(1)) < 0) {
                throw c.get("sync-when-drift-exceeds").error("must be at least 1 s, got " + sync.toMillis() + " ms");
            }
            if (dlms.authentication() != io.edgegateway.dlms.client.Authentication.HLS_GMAC) {
                // Anyone on the line can replay an unauthenticated SET: only a ciphered association may move the
                // clock a head-end bills by.
                throw c.get("sync-when-drift-exceeds").error("setting the meter's clock needs dlms.authentication: "
                        + "hls-gmac (this device uses " + dlms.authentication().configName() + ")");
            }
        }
        return new ClockPolicy(check, sync);
    }

    private static List<GroupConfig> groups(ConfigNode list, List<Point> points) {
        List<GroupConfig> out = new ArrayList<>();
        Map<String, String> claimed = new HashMap<>();
        Set<String> pointNames = new HashSet<>();
        points.forEach(p -> pointNames.add(p.name()));
        for (ConfigNode g : list.list()) {
            g.allowOnly(GROUP_KEYS);
            String name = g.string("name", "");
            Duration interval = g.optionalDuration("interval").orElseThrow(() -> g.get("interval").error("required"));
            if (interval.compareTo(Duration.ofMillis(100)) < 0) {
                throw g.get("interval").error("must be at least 100 ms, got " + interval.toMillis() + " ms");
            }
            List<String> named = new ArrayList<>();
            for (ConfigNode pn : g.get("points").list()) {
                String pointName = pn.value().orElse("");
                if (!pointNames.contains(pointName)) {
                    throw pn.error("no point named '" + pointName + "' on this device");
                }
                named.add(pointName);
            }
            if (name.isEmpty() && named.isEmpty()) {
                throw g.error("a group needs a name (matching the profile's group tags) or points");
            }
            if (!name.isEmpty() && named.isEmpty() && points.stream().noneMatch(p -> p.group().equals(name))) {
                throw g.get("name").error("no point of this device is tagged with group '" + name + "'");
            }
            for (Point p : points) {
                if (named.contains(p.name()) || (!name.isEmpty() && p.group().equals(name))) {
                    String other = claimed.put(p.name(), g.key());
                    if (other != null) {
                        throw g.error("point '" + p.name() + "' is already in the group at " + other);
                    }
                }
            }
            out.add(new GroupConfig(name, interval, named));
        }
        return out;
    }

    /** {@code dlms-push}, when given: where meters push and which may ({@link DlmsPushSettings}). */
    private static Optional<DlmsPushConfig> dlmsPush(ConfigNode root, String bind, int port,
                                                     List<DeviceConfig> devices) {
        return root.has("dlms-push")
                ? Optional.of(DlmsPushSettings.parse(root.get("dlms-push"), bind, port, devices))
                : Optional.empty();
    }
}
