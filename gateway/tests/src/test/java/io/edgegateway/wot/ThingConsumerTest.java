package io.edgegateway.wot;

import io.edgegateway.app.Gateway;
import io.edgegateway.app.ProtocolConnector;
import io.edgegateway.config.ConfigLoader;
import io.edgegateway.point.PointValue;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.sim.modbus.ModbusTcpSimulator;
import io.edgegateway.sim.model.SimulatedDevice;
import io.edgegateway.testing.ExternalTools;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An independent WoT consumer uses the gateway's TDs: Eclipse Thingweb node-wot (installed from npm into
 * {@code target/node-wot}, pinned by the package-lock beside {@code consumer.js}) fetches a meter's TD, reads a
 * property, observes it through two changes, writes the PLC's setpoint and reads it back, and receives an alert,
 * against a real gateway polling simulators, without tokens and with a bearer token.
 */
class ThingConsumerTest {

    private static final String METER = "62124022443";
    private static final String PLC = "plc-1";
    private static final String TOKEN = "wot-consumer-test-token";
    private static final Path NODE_WOT = Path.of("target", "node-wot").toAbsolutePath();
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "consumer.js");

    private final ProfileCatalog profiles = ProfileCatalog.shipped();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private Gateway gateway;
    /** Set when the consumer listens for alerts: the meter then reads an over-voltage. */
    private final AtomicBoolean overVoltage = new AtomicBoolean();
    private Process node;

    @TempDir
    Path state;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.destroyForcibly();
        }
        if (gateway != null) {
            gateway.close();
        }
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private ModbusTcpSimulator simulate(SimulatedDevice device) throws Exception {
        ModbusTcpSimulator s = ModbusTcpSimulator.builder().port(0).unit(1, device).build().start();
        closing.add(s);
        return s;
    }

    @ParameterizedTest(name = "tokens {0}")
    @ValueSource(booleans = {false, true})
    void nodeWotReadsObservesWritesAndSubscribes(boolean tokens) throws Exception {
        ExternalTools.require(ExternalTools.onPath("node") && ExternalTools.onPath("npm"),
                "node and npm are not installed (apt-get install nodejs npm)");
        install();
        SimulatedDevice meter = SimulatedDevice.of(profiles.find("sdm630").orElseThrow(), 7, Clock.systemUTC());
        meter.freeze(true);
        meter.pin("L1 Voltage", new PointValue.Number(new BigDecimal("230.0")));
        SimulatedDevice plc = SimulatedDevice.of(profiles.find("plc").orElseThrow(), 8, Clock.systemUTC());
        plc.freeze(true);
        ModbusTcpSimulator meterSim = simulate(meter);
        ModbusTcpSimulator plcSim = simulate(plc);
        gateway = Gateway.start(ConfigLoader.loadYaml("""
                state-dir: "%s"
                gateway-id: wot-e2e
                server: {port: 0}
                buses:
                  - {name: m, type: modbus-tcp, host: 127.0.0.1, port: %d}
                  - {name: p, type: modbus-tcp, host: 127.0.0.1, port: %d}
                devices:
                  - {meter-no: "%s", bus: m, unit-id: 1, profile: sdm630, interval: 300ms}
                  - {meter-no: %s, bus: p, unit-id: 1, profile: plc, interval: 300ms}
                alerts:
                  - {id: overvoltage, meters: ["%s"], point: L1 Voltage, condition: gt, value: 253, severity: critical}
                """.formatted(state, meterSim.port(), plcSim.port(), METER, PLC, METER)
                + (tokens ? "security: {tokens: [{name: hes, token: " + TOKEN + ", write: true}]}\n" : ""),
                "wot.yaml", Path.of(".")), new ProtocolConnector(), Clock.systemUTC());
        awaitReadings();

        // The voltage moves by a volt every 400 ms (its deadband is 0.5 V), within 230..239 V: changes to observe.
        // Once the consumer listens for alerts it goes over 253 V, and the gateway's rule raises one.
        Thread mover = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 1; ; i++) {
                    Thread.sleep(400);
                    meter.pin("L1 Voltage", new PointValue.Number(overVoltage.get() ? new BigDecimal("254.1")
                            : BigDecimal.valueOf(230 + i % 10)));
                }
            } catch (InterruptedException e) {
                // stopped
            }
        });
        Map<String, JsonObject> steps;
        try {
            steps = runConsumer(tokens);
        } finally {
            mover.interrupt();
        }

        JsonObject fetched = step(steps, "fetch");
        assertEquals("urn:edge-gateway:wot-e2e:" + METER, fetched.getString("id"));
        assertEquals(METER, fetched.getString("title"));
        assertEquals(tokens ? "bearer_sc" : "nosec_sc", fetched.getString("security"));
        assertEquals(profiles.find("sdm630").orElseThrow().points().size(), fetched.getInt("properties"));

        double read = step(steps, "read").getJsonNumber("value").doubleValue();
        assertTrue(read >= 230 && read < 330, "the pinned voltage, read " + read);

        List<Double> observed = step(steps, "observe").getJsonArray("values").getValuesAs(JsonNumber.class)
                .stream().map(JsonNumber::doubleValue).toList();
        assertTrue(observed.size() >= 3, "the current value and two changes: " + observed);
        long changes = 0;
        for (int i = 1; i < observed.size(); i++) {
            changes += observed.get(i).equals(observed.get(i - 1)) ? 0 : 1;
        }
        assertTrue(changes >= 2, "at least two changes: " + observed);

        JsonObject write = steps.get("write");
        assertNotNull(write, "the consumer reported its write: " + steps);
        assertTrue(write.getBoolean("ok"), "written: " + write);
        assertEquals(55.5, write.getJsonNumber("value").doubleValue(), 1e-9, "read back");

        JsonObject alert = step(steps, "alert").getJsonObject("data");
        assertEquals("overvoltage", alert.getString("ruleId"));
        assertEquals("critical", alert.getString("severity"));
        assertEquals(METER, alert.getString("meterNo"));
        assertEquals("raised", alert.getString("state"));
        assertEquals(254.1, alert.getJsonNumber("value").doubleValue(), 1e-9);
        assertTrue(steps.containsKey("done"), "the consumer finished: " + steps);
    }

    private static JsonObject step(Map<String, JsonObject> steps, String name) {
        JsonObject s = steps.get(name);
        assertNotNull(s, "the consumer reported no '" + name + "' step: " + steps);
        assertTrue(s.getBoolean("ok"), name + ": " + s);
        return s;
    }

    private void awaitReadings() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (gateway.hub().latest(METER).isEmpty() || gateway.hub().latest(PLC).isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail("no readings from the simulators within 15 s");
            }
            Thread.sleep(50);
        }
    }

    /** Runs consumer.js, raising the alert when it says it listens; its result lines by step. */
    private Map<String, JsonObject> runConsumer(boolean tokens) throws Exception {
        List<String> command = new ArrayList<>(Arrays.asList("node", "consumer.js",
                "http://127.0.0.1:" + gateway.port(), METER, PLC));
        if (tokens) {
            command.add(TOKEN);
        }
        Path stderr = NODE_WOT.resolve("consumer-" + (tokens ? "bearer" : "nosec") + ".log");
        node = new ProcessBuilder(command).directory(NODE_WOT.toFile())
                .redirectError(stderr.toFile()).start();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(node.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            } finally {
                lines.add("");
            }
        });
        Map<String, JsonObject> steps = new LinkedHashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line == null) {
                continue;
            }
            if (line.isEmpty()) {
                break;
            }
            if (!line.startsWith("{")) {
                continue; // node-wot's own console output
            }
            JsonObject o = Json.createReader(new StringReader(line)).readObject();
            steps.put(o.getString("step"), o);
            if (o.getString("step").equals("alert-ready")) {
                overVoltage.set(true);
            }
            if (o.getString("step").equals("done") || o.getString("step").equals("failed")) {
                break;
            }
        }
        assertTrue(node.waitFor(10, TimeUnit.SECONDS), "the consumer exits");
        assertEquals(0, node.exitValue(), "consumer exit code; " + steps + "; stderr: " + Files.readString(stderr));
        return steps;
    }

    /** npm ci of the pinned node-wot into target/node-wot, once for as long as the lock file stays the same. */
    private static void install() throws Exception {
        Files.createDirectories(NODE_WOT);
        for (String f : FILES) {
            try (InputStream in = ThingConsumerTest.class.getResourceAsStream("/wot/consumer/" + f)) {
                assertNotNull(in, "test resource /wot/consumer/" + f);
                Files.write(NODE_WOT.resolve(f), in.readAllBytes());
            }
        }
        Path stamp = NODE_WOT.resolve("installed-package-lock.json");
        byte[] lock = Files.readAllBytes(NODE_WOT.resolve("package-lock.json"));
        if (Files.exists(stamp) && Arrays.equals(lock, Files.readAllBytes(stamp))
                && Files.isDirectory(NODE_WOT.resolve("node_modules/@node-wot/binding-http"))) {
            return;
        }
        Path log = NODE_WOT.resolve("npm-ci.log");
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(NODE_WOT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!npm.waitFor(5, TimeUnit.MINUTES)) {
            npm.destroyForcibly();
            fail("npm ci of @node-wot/core and @node-wot/binding-http took over 5 minutes: " + Files.readString(log));
        }
        assertEquals(0, npm.exitValue(), "npm ci of @node-wot/core and @node-wot/binding-http failed (is the npm"
                + " registry reachable?): " + Files.readString(log));
        Files.write(stamp, lock);
    }
}
