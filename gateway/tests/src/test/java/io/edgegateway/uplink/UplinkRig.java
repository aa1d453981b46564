package io.edgegateway.uplink;

import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.sim.model.SimulatedDevice;
import io.edgegateway.sim.modbus.ModbusTcpSimulator;
import io.edgegateway.testing.ExternalTools;
import io.edgegateway.testing.GatewayProcess;
import io.edgegateway.testing.MosquittoBroker;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the uplink tests share: two simulated SDM120s on one Modbus TCP simulator, gateway processes polling them
 * every 200 ms with an uplink section of the test's choosing, their {@code /health}, and the event ids in their
 * store file (what the broker must end up with).
 */
final class UplinkRig implements AutoCloseable {

    static final String PASSWORD = "broker-password-1";

    private final Path dir;
    private final ModbusTcpSimulator simulator;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    UplinkRig(Path dir) throws IOException {
        this.dir = dir;
        var sdm120 = ProfileCatalog.shipped().find("sdm120").orElseThrow();
        simulator = ModbusTcpSimulator.builder().port(0)
                .unit(1, SimulatedDevice.of(sdm120, 1, Clock.systemUTC()))
                .unit(2, SimulatedDevice.of(sdm120, 2, Clock.systemUTC()))
                .build().start();
    }

    /** The broker, its independent client, and openssl for TLS tests: present, or the test fails saying what to install. */
    static void requireBroker(boolean tls) {
        ExternalTools.require(MosquittoBroker.installed(), "mosquitto is not installed (apt-get install mosquitto)");
        ExternalTools.require(ExternalTools.onPath("mosquitto_sub") && ExternalTools.onPath("mosquitto_pub"),
                "mosquitto_sub is not installed (apt-get install mosquitto-clients)");
        ExternalTools.require(ExternalTools.onPath("stdbuf"), "stdbuf is not installed (apt-get install coreutils)");
        if (tls) {
            ExternalTools.require(ExternalTools.onPath("openssl"), "openssl is not installed (apt-get install openssl)");
        }
    }

    ModbusTcpSimulator simulator() {
        return simulator;
    }

    /** A gateway of its own name, state directory and port, with {@code uplink} as its {@code uplink.mqtt} map. */
    Gateway gateway(String id, String uplink) throws IOException {
        int port = GatewayProcess.freePort();
        Path state = dir.resolve(id);
        Path config = dir.resolve(id + ".yaml");
        Files.writeString(config, """
                server: {port: %d}
                gateway-id: %s
                state-dir: "%s"
                storage: {commit-interval: 500ms}
                polling: {backoff-max: 2s}
                buses: [{name: b, type: modbus-tcp, host: 127.0.0.1, port: %d, timeout: 300ms}]
                devices:
                  - {meter-no: "m1", bus: b, unit-id: 1, profile: sdm120, interval: 200ms}
                  - {meter-no: "m2", bus: b, unit-id: 2, profile: sdm120, interval: 200ms}
                uplink:
                  mqtt: %s
                """.formatted(port, id, state, simulator.port(), uplink));
        GatewayProcess p = new GatewayProcess(config, dir.resolve(id + ".log"), Map.of("MQTT_PASSWORD", PASSWORD));
        closing.add(p);
        return new Gateway(p, port, state.resolve("readings.db"));
    }

    /** One gateway process and where to look at it. */
    final class Gateway {
        final GatewayProcess process;
        final int port;
        final Path store;

        Gateway(GatewayProcess process, int port, Path store) {
            this.process = process;
            this.port = port;
            this.store = store;
        }

        Gateway start() throws IOException, InterruptedException {
            process.start(port);
            return this;
        }

        JsonObject health() throws IOException, InterruptedException {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return Json.createReader(new StringReader(r.body())).readObject();
        }

        JsonObject uplink() throws IOException, InterruptedException {
            return health().getJsonObject("uplink");
        }

        String metrics() throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }

        /** Waits until the uplink's part of {@code /health} satisfies {@code condition}. */
        JsonObject awaitUplink(Predicate<JsonObject> condition, Duration within, String what) throws Exception {
            long until = System.nanoTime() + within.toNanos();
            JsonObject last = null;
            while (System.nanoTime() < until) {
                last = uplink();
                if (condition.test(last)) {
                    return last;
                }
                Thread.sleep(200);
            }
            throw new AssertionError("the uplink never got " + what + " within " + within.toSeconds() + " s; last: "
                    + last + "\n" + process.log());
        }

        /** Every event id in the store file, with its kind (1, 2 readings; 3 status), in id order. */
        List<long[]> storedEvents() throws SQLException {
            List<long[]> out = new ArrayList<>();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store + "?open_mode=1");
                 Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT id, kind FROM event ORDER BY id")) {
                while (r.next()) {
                    out.add(new long[] {r.getLong(1), r.getLong(2)});
                }
            }
            return out;
        }
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        simulator.stop();
    }
}
