package io.edgegateway.bench.fleet;

import io.edgegateway.modbus.plan.ReadPlanner;
import io.edgegateway.modbus.plan.ReadRequest;
import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Table;
import io.edgegateway.point.WordOrder;
import io.edgegateway.profile.DeviceProfile;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The peer of {@code bin/bench fleet}: Node-RED with node-red-contrib-modbus polling the same simulated meters, built
 * the way a field team would wire it in the editor. One tab and one {@code modbus-client} config node per simulator
 * port (one TCP connection per port, as the gateway has one bus per port), and per meter:
 * <pre>
 *   inject (every 1 s, payload = the meter's FC04 requests as a JSON array)
 *     -> split (one msg per request, msg.parts says which)
 *     -> modbus-flex-getter (msg.payload {fc: 4, unitid, address, quantity})
 *     -> function "decode" (float32 ABCD -> {point name: value}; one reading once all parts of a cycle are in)
 *     -> function "count" (one per tab; global readings / errors)
 * </pre>
 * plus {@code GET /rate} (http in -> function -> http response) answering {@code {"readings": n, "errors": n}}, which
 * the bench samples twice to get readings/s. With {@link Decoder#PER_PORT} the meters of a tab share one decode node
 * instead: every function node has its own V8 context (some 340 KB of live heap), so 500 of them weigh more than the
 * rest of the flow together.
 */
final class NodeRedPeer {

    static final String NODE_RED = "4.1.15";
    static final String CONTRIB_MODBUS = "5.45.2";

    /** One FC04 read: first register and how many. */
    record Request(int address, int quantity) {
    }

    /** A float32 (ABCD) point of the profile, by its register address. */
    record Point(String name, int address) {
    }

    /** What to poll: units 1..unitsPerPort on every 127.0.0.1 port, each with the same requests and points. */
    record Job(List<Integer> ports, int unitsPerPort, List<Request> requests, List<Point> points) {

        Job {
            ports = List.copyOf(ports);
            requests = List.copyOf(requests);
            points = List.copyOf(points);
            for (Point p : points) {
                if (requests.stream().noneMatch(r -> p.address() >= r.address()
                        && p.address() + 1 < r.address() + r.quantity())) {
                    throw new IllegalArgumentException(p.name() + " is in no request");
                }
            }
        }

        /** The first {@code pointCount} points of a profile, in the requests the gateway's ReadPlanner makes. */
        static Job of(DeviceProfile profile, int pointCount, List<Integer> ports, int unitsPerPort) {
            List<io.edgegateway.point.Point> chosen = profile.points().subList(0, pointCount);
            List<Point> points = new ArrayList<>();
            for (io.edgegateway.point.Point p : chosen) {
                if (!(p.address() instanceof ModbusAddress a) || a.table() != Table.INPUT
                        || a.type() != DataType.FLOAT32 || a.order() != WordOrder.ABCD) {
                    throw new IllegalArgumentException(p.name() + ": the peer decodes float32 ABCD input registers");
                }
                points.add(new Point(p.name(), a.address()));
            }
            List<Request> requests = new ArrayList<>();
            for (ReadRequest r : new ReadPlanner(profile.limits()).plan(chosen).requests()) {
                requests.add(new Request(r.start(), r.count()));
            }
            return new Job(ports, unitsPerPort, requests, points);
        }

        int meters() {
            return ports.size() * unitsPerPort;
        }
    }

    /** Where the decode function nodes sit. */
    enum Decoder { PER_METER, PER_PORT }

    /** The two counters behind {@code GET /rate}: complete readings, and failed reads (requests, not readings). */
    record Rate(long readings, long errors) {
    }

    private final Path redJs;
    private final Job job;
    private final Decoder decoder;
    // HTTP/1.1: the default HTTP/2 attempt sends "Upgrade: h2c", which Node-RED takes for a WebSocket upgrade and
    // never answers.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private int httpPort;
    private int ids;

    /** @param redJs what {@link #install} returned */
    NodeRedPeer(Path redJs, Job job, Decoder decoder) {
        this.redJs = redJs;
        this.job = job;
        this.decoder = decoder;
    }

    /**
     * Installs Node-RED and the Modbus nodes into {@code cacheDir} unless they are there already; returns
     * {@code node_modules/node-red/red.js}.
     */
    static Path install(Path cacheDir, Consumer<String> progress) throws IOException, InterruptedException {
        Path redJs = cacheDir.resolve("node_modules/node-red/red.js");
        String nodeVersion = version("node");
        // Node-RED 4.1 wants node >= 18.5; the 5.x line (and contrib-modbus 5.60) want 22, hence the pins.
        String[] v = nodeVersion.replaceFirst("^v", "").split("\\.");
        if (v.length < 2 || Integer.parseInt(v[0]) * 100 + Integer.parseInt(v[1]) < 1805) {
            throw new IOException("Node-RED " + NODE_RED + " needs node 18.5 or later; `node` is " + nodeVersion);
        }
        Path contrib = cacheDir.resolve("node_modules/node-red-contrib-modbus/package.json");
        if (Files.exists(redJs) && Files.exists(contrib)) {
            return redJs;
        }
        String npmVersion = version("npm");
        Files.createDirectories(cacheDir);
        try (InputStream in = NodeRedPeer.class.getResourceAsStream("/bench/node-red/package.json")) {
            if (in == null) {
                throw new IOException("resource /bench/node-red/package.json is missing from the classpath");
            }
            Files.copy(in, cacheDir.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
        }
        Path log = cacheDir.resolve("npm-install.log");
        progress.accept("installing Node-RED " + NODE_RED + " and node-red-contrib-modbus " + CONTRIB_MODBUS + " into "
                + cacheDir + " (node " + nodeVersion + ", npm " + npmVersion + "; log " + log + ")");
        Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund").directory(cacheDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!npm.waitFor(15, TimeUnit.MINUTES)) {
            npm.destroyForcibly();
            throw new IOException("npm install took over 15 min; see " + log);
        }
        if (npm.exitValue() != 0 || !Files.exists(redJs)) {
            throw new IOException("npm install failed (exit " + npm.exitValue() + "); see " + log);
        }
        progress.accept("Node-RED installed");
        return redJs;
    }

    /** {@code TOOL --version}, or an IOException saying the tool is missing. */
    private static String version(String tool) throws IOException, InterruptedException {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new IOException("`" + tool + " --version` failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IOException("the Node-RED peer needs `" + tool + "` on PATH (Node.js 18.5 or later, with npm): "
                    + e.getMessage(), e);
        }
    }

    /** Writes {@code flows.json} and {@code settings.js} into {@code userDir}. */
    void writeFlow(Path userDir) throws IOException {
        Files.createDirectories(userDir);
        Files.writeString(userDir.resolve("flows.json"), flows().build().toString());
        Files.writeString(userDir.resolve("settings.js"), """
                // Written by bin/bench fleet. Editor and /rate on 127.0.0.1 only; the port comes from --port.
                module.exports = {
                    uiHost: "127.0.0.1",
                    flowFile: "flows.json",
                    flowFilePretty: false,
                    // No credentials in this flow: no generated key, no warning about one.
                    credentialSecret: false,
                    editorTheme: { projects: { enabled: false }, tours: false },
                    diagnostics: { enabled: false, ui: false },
                    telemetry: { enabled: false, updateNotification: false },
                    externalModules: { autoInstall: false, palette: { allowInstall: false } },
                    logging: { console: { level: "warn", metrics: false, audit: false } }
                };
                """);
    }

    private JsonArrayBuilder flows() {
        JsonArrayBuilder nodes = Json.createArrayBuilder();
        String bench = id();
        nodes.add(node(bench, "tab", null, 0, 0).add("label", "bench").add("disabled", false).add("info", ""));
        String rateIn = id();
        String rateFn = id();
        String rateOut = id();
        nodes.add(node(rateIn, "http in", bench, 120, 60).add("name", "GET /rate").add("url", "/rate")
                .add("method", "get").add("upload", false).add("swaggerDoc", "").add("wires", wires(rateFn)));
        nodes.add(function(rateFn, bench, 320, 60, "rate", """
                msg.payload = { readings: global.get("readings") || 0, errors: global.get("errors") || 0 };
                return msg;""", rateOut));
        nodes.add(node(rateOut, "http response", bench, 500, 60).add("name", "").add("statusCode", "")
                .add("headers", Json.createObjectBuilder()).add("wires", Json.createArrayBuilder()));

        String decode = decodeCode();
        for (int port : job.ports()) {
            String tab = id();
            String client = id();
            String count = id();
            nodes.add(node(tab, "tab", null, 0, 0).add("label", "meters on port " + port).add("disabled", false)
                    .add("info", ""));
            nodes.add(client(client, port));
            // The sink a real flow would have (MQTT, a database); here it only counts.
            nodes.add(function(count, tab, 1000, 40, "count", """
                    const key = msg.error ? "errors" : "readings";
                    global.set(key, (global.get(key) || 0) + 1);
                    return null;""", null));
            String shared = decoder == Decoder.PER_PORT ? id() : null;
            if (decoder == Decoder.PER_PORT) {
                nodes.add(function(shared, tab, 680, 40, "decode", decode, count));
            }
            for (int unit = 1; unit <= job.unitsPerPort(); unit++) {
                int y = 40 + 60 * unit;
                String inject = id();
                String split = id();
                String getter = id();
                String fn = decoder == Decoder.PER_PORT ? shared : id();
                nodes.add(node(inject, "inject", tab, 120, y).add("name", "meter " + unit)
                        .add("props", Json.createArrayBuilder().add(Json.createObjectBuilder().add("p", "payload"))
                                .add(Json.createObjectBuilder().add("p", "topic").add("vt", "str")))
                        .add("repeat", "1").add("crontab", "").add("once", false).add("onceDelay", 0.1)
                        .add("topic", port + "/" + unit)
                        .add("payload", requestsJson(unit)).add("payloadType", "json")
                        .add("wires", wires(split)));
                nodes.add(node(split, "split", tab, 280, y).add("name", "").add("splt", "\\n").add("spltType", "str")
                        .add("arraySplt", 1).add("arraySpltType", "len").add("stream", false).add("addname", "")
                        .add("property", "payload").add("wires", wires(getter)));
                // keepMsgProperties: msg.parts must survive the read; emptyMsgOnFail: a failed read reaches decode
                // with msg.error instead of vanishing, so it is counted.
                nodes.add(node(getter, "modbus-flex-getter", tab, 460, y).add("name", "meter " + unit)
                        .add("showStatusActivities", false).add("showErrors", false).add("showWarnings", true)
                        .add("logIOActivities", false).add("server", client).add("useIOFile", false).add("ioFile", "")
                        .add("useIOForPayload", false).add("emptyMsgOnFail", true).add("keepMsgProperties", true)
                        .add("delayOnStart", false).add("enableDeformedMessages", false).add("startDelayTime", "")
                        .add("wires", Json.createArrayBuilder().add(Json.createArrayBuilder().add(fn))
                                .add(Json.createArrayBuilder())));
                if (decoder == Decoder.PER_METER) {
                    nodes.add(function(fn, tab, 680, y, "decode " + unit, decode, count));
                }
            }
        }
        return nodes;
    }

    /** The inject payload: the meter's requests. */
    private String requestsJson(int unit) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        for (Request r : job.requests()) {
            a.add(Json.createObjectBuilder().add("fc", 4).add("unitid", unit).add("address", r.address())
                    .add("quantity", r.quantity()));
        }
        return a.build().toString();
    }

    /**
     * Decode: per request index, the points in it as [name, byte offset]. The node's context holds, per meter
     * (msg.topic), the cycle being assembled (msg.parts.id, one per inject); a reading leaves only when every part of
     * its cycle has arrived.
     */
    private String decodeCode() {
        JsonArrayBuilder layout = Json.createArrayBuilder();
        for (Request r : job.requests()) {
            JsonArrayBuilder in = Json.createArrayBuilder();
            for (Point p : job.points()) {
                if (p.address() >= r.address() && p.address() + 1 < r.address() + r.quantity()) {
                    in.add(Json.createArrayBuilder().add(p.name()).add(2 * (p.address() - r.address())));
                }
            }
            layout.add(in);
        }
        return "const layout = " + layout.build() + ";\n" + """
                let cycles = context.get("cycles");
                if (!cycles) {
                    cycles = {};
                    context.set("cycles", cycles);
                }
                let cycle = cycles[msg.topic];
                if (!cycle || cycle.id !== msg.parts.id) {
                    cycle = cycles[msg.topic] = { id: msg.parts.id, parts: 0, values: {} };
                }
                if (msg.error) {
                    return { error: String(msg.error.message || msg.error), topic: msg.topic };
                }
                const buf = msg.responseBuffer.buffer;
                for (const [name, offset] of layout[msg.parts.index]) {
                    cycle.values[name] = buf.readFloatBE(offset);
                }
                if (++cycle.parts < msg.parts.count) {
                    return null;
                }
                return { topic: msg.topic, payload: cycle.values };""";
    }

    /**
     * One connection per port. Queueing off: each read goes straight to modbus-serial, which keeps several
     * transactions in flight on the one socket (by MBAP transaction id) and the simulator answers them in turn; the
     * client node's per-unit queues would add a state-machine round and a commandDelay timer per read.
     */
    private JsonObjectBuilder client(String id, int port) {
        return node(id, "modbus-client", null, 0, 0).add("name", "simulator " + port).add("clienttype", "tcp")
                .add("bufferCommands", false).add("stateLogEnabled", false).add("queueLogEnabled", false)
                .add("failureLogEnabled", false).add("tcpHost", "127.0.0.1").add("tcpPort", String.valueOf(port))
                .add("tcpType", "DEFAULT").add("serialPort", "/dev/ttyUSB").add("serialType", "RTU-BUFFERD")
                .add("serialBaudrate", "9600").add("serialDatabits", "8").add("serialStopbits", "1")
                .add("serialParity", "none").add("serialConnectionDelay", "100")
                .add("serialAsciiResponseStartDelimiter", "0x3A").add("unit_id", "1").add("commandDelay", "1")
                .add("clientTimeout", "1000").add("reconnectOnTimeout", true).add("reconnectTimeout", "2000")
                .add("parallelUnitIdsAllowed", true).add("showErrors", false).add("showWarnings", true)
                .add("showLogs", false);
    }

    private static JsonObjectBuilder function(String id, String tab, int x, int y, String name, String code,
                                              String to) {
        return node(id, "function", tab, x, y).add("name", name).add("func", code).add("outputs", 1)
                .add("timeout", 0).add("noerr", 0).add("initialize", "").add("finalize", "")
                .add("libs", Json.createArrayBuilder()).add("wires", to == null ? wires() : wires(to));
    }

    private static JsonObjectBuilder node(String id, String type, String tab, int x, int y) {
        JsonObjectBuilder b = Json.createObjectBuilder().add("id", id).add("type", type);
        if (tab != null) {
            b.add("z", tab).add("x", x).add("y", y);
        }
        return b;
    }

    private static JsonArrayBuilder wires(String... to) {
        JsonArrayBuilder out = Json.createArrayBuilder();
        for (String t : to) {
            out.add(t);
        }
        return Json.createArrayBuilder().add(out);
    }

    /** Node ids as the editor makes them: 16 hex digits. */
    private String id() {
        return String.format(Locale.ROOT, "%016x", 0xbe0c000000000000L + ++ids);
    }

    /**
     * Starts {@code node red.js} on {@code httpPort} with output to {@code userDir/node-red.log}, and waits until
     * {@code GET /rate} answers (the flows are then running).
     */
    Process start(Path userDir, int httpPort) throws IOException, InterruptedException {
        this.httpPort = httpPort;
        Path log = userDir.resolve("node-red.log");
        // No --max-old-space-size: a field install runs node-red as it comes, and V8 sizes its heap from the
        // machine's RAM (a NODE_OPTIONS in the environment still applies).
        Process p = new ProcessBuilder("node", redJs.toString(), "--userDir", userDir.toString(), "--port",
                String.valueOf(httpPort), "--settings", userDir.resolve("settings.js").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // A benchmark stopped with Ctrl-C must not leave Node-RED running behind it.
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("Node-RED exited with " + p.exitValue() + "; see " + log);
            }
            try {
                rate();
                return p;
            } catch (IOException notYet) {
                Thread.sleep(250);
            }
        }
        p.destroyForcibly();
        throw new IOException("Node-RED did not answer GET /rate within 60 s; see " + log);
    }

    /** Decoded readings so far, from {@code GET /rate}. */
    long readings() throws IOException, InterruptedException {
        return rate().readings();
    }

    Rate rate() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/rate"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET /rate answered " + r.statusCode());
        }
        JsonObject o = Json.createReader(new StringReader(r.body())).readObject();
        return new Rate(o.getJsonNumber("readings").longValue(), o.getJsonNumber("errors").longValue());
    }
}
