package io.edgegateway.app;

import io.edgegateway.config.StorageConfig;
import io.edgegateway.store.EventStore;
import io.edgegateway.config.ConfigLoader;
import io.edgegateway.config.DeviceConfig;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.hub.EventHub;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.reading.MeterStatus;
import io.edgegateway.reading.Reading;
import io.edgegateway.reading.StatusReport;
import io.edgegateway.sse.ClientRegistry;
import io.helidon.webserver.WebServer;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real HTTP server with a real hub and client registry, without polling: tests publish readings and status
 * changes into the hub themselves and read what HTTP clients see.
 */
public final class ApiHarness implements AutoCloseable {

    public final GatewayConfig config;
    public final EventHub hub;
    public final ClientRegistry clients;
    public final WebServer server;
    public final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public ApiHarness(String yaml) {
        this.config = ConfigLoader.loadYaml(yaml, "test.yaml", Path.of("."));
        Clock clock = Clock.systemUTC();
        this.hub = new EventHub(config.devices().stream().map(DeviceConfig::meterNo).toList(),
                config.sse().replaySize(), 1000);
        this.clients = new ClientRegistry(config.sse(), clock);
        this.server = ApiServer.start(new ApiServer.Services(config, hub, clients, List::of,
                EventStore.open(StorageConfig.disabled(Path.of(".")), Map.of(), clock), clock));
    }

    /** Two SDM120 meters, m1 and m2, on a bus nobody polls; extra YAML (sse:, security:...) goes on top. */
    public static String twoMeters(String extra) {
        return """
                server: {port: 0}
                buses:
                  - {name: b, type: modbus-tcp, host: 127.0.0.1, port: 1502}
                devices:
                  - {meter-no: "m1", bus: b, unit-id: 1, profile: sdm120}
                  - {meter-no: "m2", bus: b, unit-id: 2, profile: sdm120}
                """ + extra;
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    /** Publishes a reading of {@code meterNo} with the given point values (by name); other points absent. */
    public void reading(String meterNo, Instant at, Map<String, String> values) {
        DeviceConfig d = config.device(meterNo).orElseThrow();
        Map<Point, PointValue> v = new LinkedHashMap<>();
        for (Point p : d.points()) {
            String s = values.get(p.name());
            if (s != null) {
                v.put(p, new PointValue.Number(new BigDecimal(s)));
            }
        }
        hub.publishReading(Reading.of(meterNo, at, v));
    }

    public void status(String meterNo, MeterStatus status, Instant lastSeen) {
        hub.publishStatus(new StatusReport(meterNo, status, lastSeen, null));
    }

    @Override
    public void close() {
        clients.close();
        server.stop();
    }
}
