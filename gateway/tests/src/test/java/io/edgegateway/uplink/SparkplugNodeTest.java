package io.edgegateway.uplink;

import io.edgegateway.alert.AlertWatch;
import io.edgegateway.hub.EventHub;
import io.edgegateway.hub.HubEvent;
import io.edgegateway.reading.Alert;
import io.edgegateway.testing.MosquittoBroker;
import io.edgegateway.testing.MosquittoSubscriber;
import io.edgegateway.uplink.mqtt.Outbound;
import jakarta.json.Json;
import org.eclipse.tahu.protobuf.SparkplugBProto;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway as a Sparkplug B edge node on a real Mosquitto, every message decoded with Eclipse Tahu's classes (our
 * codec encodes, Tahu decodes): NBIRTH with bdSeq and the rebirth control, a DBIRTH per meter with every point and its
 * unit, DDATA with changed points only, seq 0..255 in order, DDEATH when meters go DISCONNECTED and a fresh DBIRTH when
 * they return, a rebirth on NCMD, NDEATH as the will with the birth's bdSeq when the gateway is killed, and the next
 * bdSeq after a restart.
 */
@Timeout(180)
class SparkplugNodeTest {

    private static final String GROUP = "plant-a";
    private static final String NODE = "gw-node";

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private record Decoded(String topic, SparkplugBProto.Payload payload) {
        String type() {
            return topic.split("/")[2];
        }

        String device() {
            String[] p = topic.split("/");
            return p.length > 4 ? p[4] : "";
        }

        Map<String, Metric> metrics() {
            Map<String, Metric> m = new java.util.LinkedHashMap<>();
            payload.getMetricsList().forEach(x -> m.put(x.getName(), x));
            return m;
        }
    }

    @Test
    void birthsDataDeathsRebirthAndTheWill() throws Exception {
        UplinkRig.requireBroker(false);
        MosquittoBroker broker = MosquittoBroker.builder(dir.resolve("broker")).build().start();
        closing.add(broker);
        UplinkRig rig = new UplinkRig(dir);
        closing.add(rig);
        MosquittoSubscriber host = MosquittoSubscriber.builder(broker.port(), "spBv1.0/" + GROUP + "/#").qos(1).mqtt5()
                .build().start();
        closing.add(host);
        UplinkRig.Gateway g = rig.gateway(NODE, "{url: \"mqtt://127.0.0.1:" + broker.port() + "\", format: sparkplug-b,"
                + " group-id: " + GROUP + "}").start();

        // The first DDATA may be historical: what was read before the first connection, drained from the store.
        List<Decoded> m = await(host, d -> count(d, "DDATA", "m1") >= 3 && count(d, "DDATA", "m2") >= 3
                && d.stream().anyMatch(x -> x.type().equals("DDATA")
                && x.payload().getMetricsList().stream().noneMatch(Metric::getIsHistorical)));
        Decoded nbirth = m.getFirst();
        assertEquals("spBv1.0/" + GROUP + "/NBIRTH/" + NODE, nbirth.topic());
        assertEquals(0, nbirth.payload().getSeq());
        Metric bdSeq = nbirth.metrics().get("bdSeq");
        assertEquals(SparkplugBProto.DataType.UInt64.getNumber(), bdSeq.getDatatype());
        assertFalse(nbirth.metrics().get("Node Control/Rebirth").getBooleanValue());

        var profile = io.edgegateway.profile.ProfileCatalog.shipped().find("sdm120").orElseThrow();
        for (String meter : List.of("m1", "m2")) {
            Decoded birth = m.stream().filter(d -> d.type().equals("DBIRTH") && d.device().equals(meter)).findFirst().orElseThrow();
            assertEquals(profile.points().size(), birth.payload().getMetricsCount(), "every point is born");
            for (var p : profile.points()) {
                Metric x = birth.metrics().get(p.name());
                assertTrue(x != null, p.name() + " in the DBIRTH of " + meter);
                assertEquals(SparkplugBProto.DataType.Double.getNumber(), x.getDatatype());
                assertTrue(x.getTimestamp() > 0);
                if (!p.unit().isEmpty()) {
                    assertEquals("engUnit", x.getProperties().getKeys(0));
                    assertEquals(p.unit(), x.getProperties().getValues(0).getStringValue());
                }
            }
        }
        List<Decoded> data = m.stream().filter(d -> d.type().equals("DDATA")).toList();
        assertTrue(data.stream().anyMatch(d -> d.payload().getMetricsCount() < profile.points().size()),
                "DDATA carries only the points that changed");
        for (Decoded d : data) {
            assertTrue(d.payload().getMetricsCount() > 0);
        }
        m.stream().filter(d -> d.type().equals("DBIRTH")).forEach(d -> d.payload().getMetricsList()
                .forEach(x -> assertFalse(x.getIsHistorical(), "a birth is the current state, never historical")));
        assertSeqInOrder(m);

        // Both meters go DISCONNECTED: a DDEATH each; they come back: a fresh DBIRTH each.
        rig.simulator().stop();
        m = await(host, d -> count(d, "DDEATH", "m1") == 1 && count(d, "DDEATH", "m2") == 1);
        long births1 = count(m, "DBIRTH", "m1");
        long births2 = count(m, "DBIRTH", "m2");
        rig.simulator().start();
        await(host, d -> count(d, "DBIRTH", "m1") > births1 && count(d, "DBIRTH", "m2") > births2);

        // A host application asks for a rebirth.
        Path ncmd = dir.resolve("ncmd.bin");
        Files.write(ncmd, SparkplugBProto.Payload.newBuilder().setTimestamp(System.currentTimeMillis())
                .addMetrics(Metric.newBuilder().setName("Node Control/Rebirth")
                        .setDatatype(SparkplugBProto.DataType.Boolean.getNumber()).setBooleanValue(true)).build().toByteArray());
        Process pub = new ProcessBuilder("mosquitto_pub", "-p", Integer.toString(broker.port()), "-q", "1",
                "-t", "spBv1.0/" + GROUP + "/NCMD/" + NODE, "-f", ncmd.toString()).inheritIO().start();
        long before1 = count(host, "DBIRTH", "m1");
        long before2 = count(host, "DBIRTH", "m2");
        assertTrue(pub.waitFor(10, TimeUnit.SECONDS) && pub.exitValue() == 0);
        m = await(host, d -> count(d, "NBIRTH", "") == 2 && count(d, "DBIRTH", "m1") > before1
                && count(d, "DBIRTH", "m2") > before2);
        List<Decoded> births = m.stream().filter(d -> d.type().equals("NBIRTH")).toList();
        assertEquals(0, births.get(1).payload().getSeq(), "a rebirth starts seq again");
        assertEquals(bdSeq.getLongValue(), births.get(1).metrics().get("bdSeq").getLongValue(), "same session, same bdSeq");
        assertSeqInOrder(m.subList(m.indexOf(births.get(1)), m.size()));

        // Killed: the broker publishes the will, an NDEATH with the session's bdSeq.
        g.process.kill();
        m = await(host, d -> count(d, "NDEATH", "") == 1);
        Decoded ndeath = m.stream().filter(d -> d.type().equals("NDEATH")).findFirst().orElseThrow();
        assertEquals(bdSeq.getLongValue(), ndeath.metrics().get("bdSeq").getLongValue());
        assertFalse(ndeath.payload().hasSeq(), "NDEATH has no seq");

        // Started again: the next bdSeq, remembered across the kill.
        g.start();
        m = await(host, d -> count(d, "NBIRTH", "") == 3);
        Decoded third = m.stream().filter(d -> d.type().equals("NBIRTH")).toList().get(2);
        assertEquals((bdSeq.getLongValue() + 1) % 256, third.metrics().get("bdSeq").getLongValue());

        // Stopped cleanly: the gateway says NDEATH itself, with that bdSeq.
        g.process.stop();
        m = await(host, d -> count(d, "NDEATH", "") == 2);
        Decoded last = m.stream().filter(d -> d.type().equals("NDEATH")).toList().get(1);
        assertEquals((bdSeq.getLongValue() + 1) % 256, last.metrics().get("bdSeq").getLongValue());
    }

    @Test
    void anAlertOfAPairThatNoLongerExistsCausesNoRebirthAndOneOfANewPairDoes() throws Exception {
        EventHub hub = new EventHub(List.of("m1"), 100, 1);
        List<AlertWatch.Slot> slots = new CopyOnWriteArrayList<>(List.of(
                new AlertWatch.Slot("m1", "over", Alert.Severity.CRITICAL, Optional.empty())));
        SparkplugNode node = new SparkplugNode(GROUP, NODE, 0, 1, Clock.systemUTC(), () -> List.copyOf(slots));
        assertEquals(List.of("NBIRTH"), types(node.births(hub)));

        // Replayed after a reconnect: the raise and clear of a rule deleted while the uplink was away.
        for (Alert.State state : List.of(Alert.State.RAISED, Alert.State.CLEARED)) {
            assertEquals(List.of(), node.event(alert(hub, "deleted", state), true), "neither sent nor a rebirth");
        }
        assertEquals(List.of("NDATA"), types(node.event(alert(hub, "over", Alert.State.RAISED), false)));

        // A rule made since the birth: born again, its metrics with it, and then sent as NDATA.
        slots.add(new AlertWatch.Slot("m1", "new", Alert.Severity.INFO, Optional.empty()));
        List<Outbound> reborn = node.event(alert(hub, "new", Alert.State.RAISED), false);
        assertEquals(List.of("NBIRTH"), types(reborn));
        assertTrue(SparkplugBProto.Payload.parseFrom(reborn.getFirst().payload()).getMetricsList().stream()
                .anyMatch(x -> x.getName().equals("Alerts/m1/new/active")));
        assertEquals(List.of("NDATA"), types(node.event(alert(hub, "new", Alert.State.CLEARED), false)));
    }

    private static HubEvent alert(EventHub hub, String ruleId, Alert.State state) {
        return hub.publishAlert(new Alert("a-" + ruleId, ruleId, "m1", "L1 Voltage", Json.createValue(254),
                Alert.Severity.WARNING, state, Instant.now(), null));
    }

    private static List<String> types(List<Outbound> out) {
        return out.stream().map(o -> o.topic().split("/")[2]).toList();
    }

    /** seq rises by one (mod 256) from each NBIRTH, over every message but NDEATH. */
    private static void assertSeqInOrder(List<Decoded> messages) {
        long expected = -1;
        for (Decoded d : messages) {
            if (d.type().equals("NDEATH") || d.type().equals("NCMD")) {
                continue;
            }
            if (d.type().equals("NBIRTH")) {
                expected = 0;
            }
            if (expected >= 0) {
                assertEquals(expected, d.payload().getSeq(), d.topic());
                expected = (expected + 1) % 256;
            }
        }
    }

    private static long count(MosquittoSubscriber host, String type, String device) {
        return count(decode(host.messages()), type, device);
    }

    private static long count(List<Decoded> d, String type, String device) {
        return d.stream().filter(x -> x.type().equals(type) && x.device().equals(device)).count();
    }

    private static List<Decoded> await(MosquittoSubscriber host, Predicate<List<Decoded>> condition) throws Exception {
        List<Decoded>[] out = new List[1];
        host.await(messages -> {
            out[0] = decode(messages);
            return condition.test(out[0]);
        }, Duration.ofSeconds(40));
        return out[0];
    }

    private static List<Decoded> decode(List<MosquittoSubscriber.Message> messages) {
        List<Decoded> out = new ArrayList<>();
        Set<String> ignored = new HashSet<>(Set.of("NCMD", "DCMD", "STATE"));
        for (MosquittoSubscriber.Message x : messages) {
            if (ignored.contains(x.topic().split("/")[2])) {
                continue;
            }
            try {
                out.add(new Decoded(x.topic(), SparkplugBProto.Payload.parseFrom(x.payload())));
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError("Tahu cannot decode " + x.topic() + ": " + e.getMessage());
            }
        }
        return out;
    }
}
