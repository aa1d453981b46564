package io.edgegateway.app;

import io.edgegateway.config.ConfigLoader;
import io.edgegateway.point.PointValue;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.sim.model.SimulatedDevice;
import io.edgegateway.sim.modbus.ModbusTcpSimulator;
import io.edgegateway.testing.ExternalTools;
import io.edgegateway.testing.MosquittoBroker;
import io.edgegateway.testing.MosquittoSubscriber;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.eclipse.tahu.protobuf.SparkplugBProto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Alerts over a real Mosquitto, seen by an independent subscriber (mosquitto_sub): JSON on {@code {prefix}/alerts};
 * Sparkplug B as node metrics born in the NBIRTH and sent in NDATA, decoded with Eclipse Tahu.
 */
@Timeout(120)
class AlertUplinkTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private final List<AutoCloseable> closing = new ArrayList<>();
    private Gateway gateway;
    private SimulatedDevice meter;
    private ModbusTcpSimulator sim;

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private MosquittoBroker broker() throws Exception {
        ExternalTools.require(MosquittoBroker.installed(), "mosquitto is not installed (apt-get install mosquitto)");
        ExternalTools.require(ExternalTools.onPath("mosquitto_sub"), "mosquitto_sub is not installed");
        MosquittoBroker b = MosquittoBroker.builder(dir.resolve("broker")).build().start();
        closing.add(b);
        meter = SimulatedDevice.of(ProfileCatalog.shipped().find("sdm630").orElseThrow(), 3, Clock.systemUTC());
        meter.freeze(true);
        volts("230");
        sim = ModbusTcpSimulator.builder().port(0).unit(1, meter).build().start();
        closing.add(sim);
        return b;
    }

    private void volts(String v) {
        meter.pin("L1 Voltage", new PointValue.Number(new BigDecimal(v)));
    }

    private void start(int brokerPort, String mqtt) {
        gateway = Gateway.start(ConfigLoader.loadYaml("""
                state-dir: "%s"
                gateway-id: gw-alerts
                server: {port: 0}
                polling: {backoff-base: 200ms, backoff-max: 500ms}
                buses: [{name: b, type: modbus-tcp, host: 127.0.0.1, port: %d, timeout: 300ms, connect-timeout: 300ms}]
                devices: [{meter-no: m1, bus: b, unit-id: 1, profile: sdm630, interval: 200ms}]
                alerts:
                  - {id: over, meters: [m1], point: L1 Voltage, condition: gt, value: 253, severity: critical}
                  - {id: gone, status: DISCONNECTED, for: 500ms}
                uplink:
                  mqtt: {url: "mqtt://127.0.0.1:%d", %s}
                """.formatted(dir.resolve("state"), sim.port(), brokerPort, mqtt), "uplink.yaml", Path.of(".")),
                new ProtocolConnector(), Clock.systemUTC());
    }

    private MosquittoSubscriber subscriber(int port, String filter) throws Exception {
        MosquittoSubscriber s = MosquittoSubscriber.builder(port, filter).qos(1).build().start();
        closing.add(s);
        return s;
    }

    private static JsonObject json(MosquittoSubscriber.Message m) {
        return Json.createReader(new StringReader(m.text())).readObject();
    }

    @Test
    void jsonAlertsOnOneTopic() throws Exception {
        MosquittoBroker b = broker();
        MosquittoSubscriber fleet = subscriber(b.port(), "gateways/gw-alerts/alerts");
        start(b.port(), "format: json");
        volts("254");
        List<MosquittoSubscriber.Message> m = fleet.awaitCount(1, WAIT);
        JsonObject raised = json(m.getFirst());
        assertEquals("raised", raised.getString("state"));
        assertEquals("over", raised.getString("ruleId"));
        assertEquals("critical", raised.getString("severity"));
        volts("240");
        m = fleet.awaitCount(2, WAIT);
        JsonObject cleared = json(m.get(1));
        assertEquals("cleared", cleared.getString("state"));
        assertEquals(raised.getString("alertId"), cleared.getString("alertId"));
        assertFalse(m.get(1).retained());
        Thread.sleep(1000);
        assertEquals(2, fleet.messages().size(), "once each: " + fleet.messages());
    }

    @Test
    void sparkplugAlertsAreNodeMetricsBornInTheNbirth() throws Exception {
        MosquittoBroker b = broker();
        MosquittoSubscriber host = subscriber(b.port(), "spBv1.0/plant-a/#");
        start(b.port(), "format: sparkplug-b, group-id: plant-a");
        Map<String, SparkplugBProto.Payload.Metric> birth = metrics(await(host, "NBIRTH", 1).getFirst());
        assertFalse(birth.get("Alerts/m1/over/active").getBooleanValue());
        assertFalse(birth.get("Alerts/m1/gone/active").getBooleanValue());
        assertEquals("critical", birth.get("Alerts/m1/over/severity").getStringValue());
        assertEquals("warning", birth.get("Alerts/m1/gone/severity").getStringValue());
        assertEquals(SparkplugBProto.DataType.Boolean_VALUE, birth.get("Alerts/m1/over/acknowledged").getDatatype());

        volts("254");
        Map<String, SparkplugBProto.Payload.Metric> raised = metrics(await(host, "NDATA", 1).getFirst());
        assertTrue(raised.get("Alerts/m1/over/active").getBooleanValue());
        BigDecimal value = new BigDecimal(raised.get("Alerts/m1/over/value").getStringValue());
        assertEquals(0, value.compareTo(BigDecimal.valueOf(254)), value.toPlainString());
        volts("240");
        assertFalse(metrics(await(host, "NDATA", 2).get(1)).get("Alerts/m1/over/active").getBooleanValue());

        // A disconnected meter is a dead device: its status alert goes as node metrics all the same.
        sim.close();
        await(host, "DDEATH", 1);
        Map<String, SparkplugBProto.Payload.Metric> gone = metrics(await(host, "NDATA", 3).get(2));
        assertTrue(gone.get("Alerts/m1/gone/active").getBooleanValue());
        assertEquals("DISCONNECTED", gone.get("Alerts/m1/gone/value").getStringValue());
        assertEquals(1, await(host, "NBIRTH", 1).size(), "no rebirth for rules born in the NBIRTH");
    }

    private static List<SparkplugBProto.Payload> await(MosquittoSubscriber s, String type, int count)
            throws Exception {
        List<SparkplugBProto.Payload> out = new ArrayList<>();
        s.await(ms -> ms.stream().filter(m -> m.topic().split("/")[2].equals(type)).count() >= count, WAIT);
        for (MosquittoSubscriber.Message m : s.messages()) {
            if (m.topic().split("/")[2].equals(type)) {
                out.add(SparkplugBProto.Payload.parseFrom(m.payload()));
            }
        }
        assertTrue(out.size() >= count, type + " x" + count + " in " + s.messages());
        return out;
    }

    private static Map<String, SparkplugBProto.Payload.Metric> metrics(SparkplugBProto.Payload p) {
        Map<String, SparkplugBProto.Payload.Metric> m = new LinkedHashMap<>();
        p.getMetricsList().forEach(x -> m.put(x.getName(), x));
        return m;
    }
}
