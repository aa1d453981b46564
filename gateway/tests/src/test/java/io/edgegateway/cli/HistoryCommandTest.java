package io.edgegateway.cli;

import io.edgegateway.app.Gateway;
import io.edgegateway.app.ProtocolConnector;
import io.edgegateway.config.ConfigLoader;
import io.edgegateway.point.PointValue;
import io.edgegateway.sim.model.SimulatedDevice;
import io.edgegateway.sim.modbus.ModbusTcpSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/gateway history reads the store file of a gateway, while the gateway runs and after it stopped. */
@Timeout(60)
class HistoryCommandTest {

    @TempDir
    Path dir;

    @Test
    void printsReadingsAsJsonLinesOrCsvAndStatusChanges() throws Exception {
        SimulatedDevice m = Cli.frozen("sdm120", 3);
        Instant from = Instant.now().minusSeconds(1);
        Path config = dir.resolve("gateway.yaml");
        try (ModbusTcpSimulator sim = ModbusTcpSimulator.builder().unit(1, m).build().start()) {
            Files.writeString(config, """
                    server: {port: 0}
                    state-dir: "%s"
                    storage: {commit-interval: 100ms}
                    buses: [{name: b, type: modbus-tcp, host: 127.0.0.1, port: %d}]
                    devices: [{meter-no: "m1", bus: b, unit-id: 1, profile: sdm120, interval: 100ms}]
                    """.formatted(dir.resolve("state"), sim.port()));
            // Pinned before the gateway starts: its first poll comes at once and must already read it.
            m.pin("L1 Voltage", new PointValue.Number(new BigDecimal("228.5")));
            Gateway g = Gateway.start(ConfigLoader.load(config), new ProtocolConnector(), Clock.systemUTC());
            try {
                Thread.sleep(400);
                m.pin("L1 Voltage", new PointValue.Number(new BigDecimal("233.5")));
                Thread.sleep(400);
                g.store().flush();
                // While the service runs: the reader shares the file with the writer.
                Cli.Run running = Cli.run("history", "m1", "--config", config.toString(), "--from", from.toString(),
                        "--points", "L1 Voltage");
                assertEquals(0, running.code(), running.toString());
                String[] lines = running.out().split("\n");
                assertTrue(lines.length >= 2, running.toString());
                assertTrue(lines[0].matches("\\{\"id\":\\d+,\"meterNo\":\"m1\",\"timestamp\":\"[^\"]+\",\"L1 Voltage\":\"228\\.5 V\"}"),
                        lines[0]);
                assertTrue(lines[lines.length - 1].contains("\"L1 Voltage\":\"233.5 V\""), lines[lines.length - 1]);
            } finally {
                g.close();
            }
        }
        Path db = dir.resolve("state/readings.db");
        Cli.Run csv = Cli.run("history", "m1", "--db", db.toString(), "--from", from.toString(), "--csv",
                "--points", "L1 Voltage,Frequency");
        assertEquals(0, csv.code(), csv.toString());
        assertTrue(csv.out().startsWith("timestamp,L1 Voltage [V],Frequency [Hz]\r\n"), csv.out());
        assertTrue(csv.out().contains(",233.5,"), csv.out());
        Cli.Run status = Cli.run("history", "m1", "--config", config.toString(), "--from", from.toString(), "--status");
        assertEquals(0, status.code(), status.toString());
        assertTrue(status.out().contains("\"status\":\"CONNECTED\""), status.out());
        Cli.Run unknown = Cli.run("history", "m9", "--db", db.toString());
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("no readings of meter 'm9'"), unknown.err());
        Cli.Run bad = Cli.run("history", "m1", "--db", db.toString(), "--from", "yesterday");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--from must be an ISO-8601 UTC time"), bad.err());
    }
}
