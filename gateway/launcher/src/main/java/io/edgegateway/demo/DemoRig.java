package io.edgegateway.demo;

import io.edgegateway.app.Gateway;
import io.edgegateway.app.ProtocolConnector;
import io.edgegateway.config.ConfigLoader;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.sim.dlms.DlmsSimulator;
import io.edgegateway.sim.model.SimulatedDevice;
import io.edgegateway.sim.modbus.ModbusTcpSimulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Simulated field devices on 127.0.0.1 and a gateway polling them:
 * <ul>
 *   <li>Modbus TCP meter: Eastron SDM630 {@code 62124022443} (voltages polled every second)</li>
 *   <li>Modbus TCP: Schneider iEM3000 {@code 62124022444} and the tank PLC {@code PLC-TANK-01} behind one address</li>
 *   <li>RTU over TCP (a serial device server): Carlo Gavazzi EM24 {@code 62124022445} and Eastron SDM120
 *       {@code 62124022446} on one line</li>
 *   <li>DLMS/COSEM meter on the TCP wrapper: {@code 62124022447}</li>
 *   <li>optionally {@code extraMeters} more SDM630s on their own TCP simulator, for load tests</li>
 * </ul>
 */
public final class DemoRig implements AutoCloseable {

    private final List<AutoCloseable> simulators;
    private final Gateway gateway;
    private final String yaml;
    /** The state directory made for this run, deleted at close; null when the caller named one. */
    private final Path temporary;

    private DemoRig(List<AutoCloseable> simulators, Gateway gateway, String yaml, Path temporary) {
        this.simulators = simulators;
        this.gateway = gateway;
        this.yaml = yaml;
        this.temporary = temporary;
    }

    /**
     * @param bind        HTTP bind address
     * @param port        HTTP port (0 = any free one)
     * @param interval    default poll interval of the meters
     * @param extraMeters additional simulated SDM630 meters
     * @param maxClients  SSE client limit
     */
    public static DemoRig start(String bind, int port, Duration interval, int extraMeters, int maxClients)
            throws IOException {
        return start(bind, port, interval, extraMeters, maxClients, null, true);
    }

    /**
     * As {@link #start(String, int, Duration, int, int)}, and:
     *
     * @param stateDir where the gateway keeps its state and its reading store; {@code null}: a new temporary directory
     * @param store    whether the reading store is on (off only to measure what it costs)
     */
    public static DemoRig start(String bind, int port, Duration interval, int extraMeters, int maxClients,
                                Path stateDir, boolean store) throws IOException {
        ProfileCatalog profiles = ProfileCatalog.shipped();
        Clock clock = Clock.systemUTC();
        List<AutoCloseable> sims = new ArrayList<>();
        Path temporary = null;
        try {
            ModbusTcpSimulator sdm630 = ModbusTcpSimulator.builder().port(0)
                    .unit(1, device(profiles, "sdm630", 1, clock)).build().start();
            sims.add(sdm630);
            ModbusTcpSimulator panel = ModbusTcpSimulator.builder().port(0)
                    .unit(1, device(profiles, "iem3000", 2, clock))
                    .unit(5, device(profiles, "plc", 3, clock)).build().start();
            sims.add(panel);
            ModbusTcpSimulator serialServer = ModbusTcpSimulator.builder().port(0).rtuOverTcp(true)
                    .unit(1, device(profiles, "em24", 4, clock))
                    .unit(2, device(profiles, "sdm120", 5, clock)).build().start();
            sims.add(serialServer);
            DlmsSimulator dlms = DlmsSimulator.builder().wrapperTcp().port(0).seed(6).serialNumber("62124022447")
                    .build().start();
            sims.add(dlms);
            ModbusTcpSimulator load = null;
            if (extraMeters > 0) {
                ModbusTcpSimulator.Builder b = ModbusTcpSimulator.builder().port(0).maxConnections(4);
                for (int i = 1; i <= extraMeters; i++) {
                    b.unit(i, device(profiles, "sdm630", 100 + i, clock));
                }
                load = b.build().start();
                sims.add(load);
            }
            temporary = stateDir == null ? Files.createTempDirectory("gateway-demo") : null;
            Path state = stateDir != null ? Files.createDirectories(stateDir) : temporary;
            String yaml = yaml(bind, port, interval, maxClients, state, store, sdm630.port(), panel.port(),
                    serialServer.port(), dlms.port(), load == null ? 0 : load.port(), extraMeters);
            GatewayConfig config = ConfigLoader.loadYamlWithOverrides(yaml, "demo config", state);
            Gateway gateway = Gateway.start(config, new ProtocolConnector(), clock);
            return new DemoRig(sims, gateway, yaml, temporary);
        } catch (IOException | RuntimeException e) {
            for (AutoCloseable s : sims) {
                closeQuietly(s);
            }
            deleteQuietly(temporary);
            throw e;
        }
    }

    private static SimulatedDevice device(ProfileCatalog profiles, String profile, long seed, Clock clock) {
        DeviceProfile p = profiles.find(profile).orElseThrow();
        return SimulatedDevice.of(p, seed, clock);
    }

    static String yaml(String bind, int port, Duration interval, int maxClients, Path state, boolean store,
                       int sdm630Port,
                       int panelPort, int serialServerPort, int dlmsPort, int loadPort, int extraMeters) {
        String every = interval.toMillis() + "ms";
        StringBuilder y = new StringBuilder("""
                # Generated by bin/gateway demo: simulated devices on 127.0.0.1.
                server: {bind: "%s", port: %d}
                sse: {max-clients: %d}
                state-dir: "%s"
                storage: {enabled: %s}
                buses:
                  - {name: sdm630-tcp, type: modbus-tcp, host: 127.0.0.1, port: %d}
                  - {name: panel-tcp, type: modbus-tcp, host: 127.0.0.1, port: %d}
                  - {name: serial-server, type: modbus-rtu-over-tcp, host: 127.0.0.1, port: %d}
                  - {name: dlms-wrapper, type: dlms-tcp, host: 127.0.0.1, port: %d, timeout: 3s}
                """.formatted(bind, port, maxClients, state, store, sdm630Port, panelPort, serialServerPort, dlmsPort));
        if (extraMeters > 0) {
            y.append("  - {name: load-tcp, type: modbus-tcp, host: 127.0.0.1, port: %d}\n".formatted(loadPort));
        }
        y.append("""
                devices:
                  - meter-no: "62124022443"
                    bus: sdm630-tcp
                    unit-id: 1
                    profile: sdm630
                    interval: %s
                    groups:
                      - {interval: 1s, points: [L1 Voltage, L2 Voltage, L3 Voltage, Frequency]}
                  - {meter-no: "62124022444", bus: panel-tcp, unit-id: 1, profile: iem3000, interval: %s}
                  - {meter-no: "PLC-TANK-01", bus: panel-tcp, unit-id: 5, profile: plc, interval: 1s}
                  - {meter-no: "62124022445", bus: serial-server, unit-id: 1, profile: em24, interval: %s}
                  - {meter-no: "62124022446", bus: serial-server, unit-id: 2, profile: sdm120, interval: %s}
                  - {meter-no: "62124022447", bus: dlms-wrapper, unit-id: 1, profile: dlms-standard, interval: 5s,
                     load-profiles: [{obis: 1.0.99.1.0.255, every: 15m, backfill: 1d},
                                     {obis: 0.0.99.98.0.255, every: 1h, backfill: 7d}],
                     clock: {check: 1h}}
                """.formatted(every, every, every, every));
        for (int i = 1; i <= extraMeters; i++) {
            y.append("  - {meter-no: \"LOAD-%04d\", bus: load-tcp, unit-id: %d, profile: sdm630, interval: %s}\n"
                    .formatted(i, i, every));
        }
        // Alerts that come and go in the demo: the tank fills to its high setpoint (80 %) and drains again.
        y.append("""
                alerts:
                  - {id: tank-high, meters: [PLC-TANK-01], point: Tank Level, condition: gt, value: 75, hysteresis: 2,
                     severity: warning}
                  - {id: overvoltage, profile: sdm630, point: L1 Voltage, condition: gt, value: 253, for: 30s,
                     hysteresis: 2, severity: critical}
                  - {id: meter-lost, status: DISCONNECTED, for: 1m, severity: critical}
                """);
        return y.toString();
    }

    public Gateway gateway() {
        return gateway;
    }

    /** The generated config, for {@code --print-config}. */
    public String yaml() {
        return yaml;
    }

    @Override
    public void close() {
        gateway.close();
        for (AutoCloseable s : simulators) {
            closeQuietly(s);
        }
        deleteQuietly(temporary);
    }

    /** Removes a temporary state directory and its store, so demo and benchmark runs leave nothing in /tmp. */
    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort: the OS cleans /tmp
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // shutting down
        }
    }
}
