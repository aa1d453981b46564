package io.edgegateway.poll;

import io.edgegateway.hub.EventHub;
import io.edgegateway.modbus.ModbusClient;
import io.edgegateway.modbus.ModbusMeter;
import io.edgegateway.modbus.transport.LinkOptions;
import io.edgegateway.point.Point;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.sim.fault.FaultPlan;
import io.edgegateway.sim.modbus.ModbusTcpSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hostile device on a line never costs its healthy neighbour its poll rate: each exchange has a deadline for the
 * whole answer however its bytes trickle in, and failing attempts share a bounded part of the line. What a
 * neighbour does cost shows on the device it held up.
 */
class NeighbourIsolationTest {

    /**
     * The deadline is below the healthy device's interval, as a line should be configured: then no attempt at the
     * hostile device, however it answers, can outlast one of the healthy device's slots.
     */
    private static final Duration INTERVAL = Duration.ofMillis(400);
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final DeviceProfile sdm120 = ProfileCatalog.shipped().find("sdm120").orElseThrow();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    /**
     * Drip: 20 bytes a second, so every byte comes well inside the timeout and only a whole-answer deadline stops
     * it (a per-read timeout let one answer hold the line for seconds). Garbage: random bytes of a plausible
     * length. Reset: the device closes the shared connection instead of answering.
     */
    @ParameterizedTest(name = "{0}, neighbour {1}")
    @CsvSource({"modbus-tcp, drip", "modbus-tcp, garbage", "modbus-tcp, reset",
            "modbus-rtu-over-tcp, drip", "modbus-rtu-over-tcp, garbage", "modbus-rtu-over-tcp, reset"})
    void theHealthyDeviceKeepsItsRateWithinTenPercent(String framing, String hostile) throws Exception {
        boolean rtu = framing.equals("modbus-rtu-over-tcp");
        ModbusTcpSimulator sim = simulator(rtu);
        sim.faults().set(2, switch (hostile) {
            case "drip" -> FaultPlan.NONE.withDrip(20);
            case "garbage" -> FaultPlan.NONE.withGarbage(true);
            case "reset" -> FaultPlan.NONE.withDropEvery(1);
            default -> throw new IllegalArgumentException(hostile);
        });
        BusScheduler bus = start(sim, rtu, INTERVAL, INTERVAL);
        Thread.sleep(1000); // both devices polled a few times: the hostile one is failing and backing off
        DeviceStats before = healthy(bus);
        long window = 8000;
        Thread.sleep(window);
        DeviceStats after = healthy(bus);
        long good = (after.polls() - after.failures()) - (before.polls() - before.failures());
        double nominal = (double) window / INTERVAL.toMillis();
        System.out.printf("%s, neighbour %s: %d good polls of %.0f nominal (%.0f %%); neighbour failures %d%n",
                framing, hostile, good, nominal, 100 * good / nominal, hostileStats(bus).failures());
        assertTrue(good >= 0.9 * nominal, framing + " with a neighbour that answers by " + hostile + ": " + good
                + " good polls in " + window + " ms, nominal " + nominal);
        assertEquals(0, after.failures(), "the healthy device never failed: " + after.lastError());
        assertTrue(hostileStats(bus).failures() > 0, "the neighbour was hostile");
    }

    @Test
    void slotsANeighbourHeldTheLinePastAreCountedOnTheDeviceItHeldUp() throws Exception {
        ModbusTcpSimulator sim = simulator(false);
        // The neighbour answers, slowly: 200 ms per request, so a poll of it holds the line for several of the
        // healthy device's 50 ms slots.
        sim.faults().set(2, FaultPlan.delayed(Duration.ofMillis(200)));
        BusScheduler bus = start(sim, false, Duration.ofMillis(50), Duration.ofMillis(500));
        Thread.sleep(500); // past the first polls, which connect and warm up: those may outlast a slot themselves
        DeviceStats warm = healthy(bus);
        Thread.sleep(2000);
        bus.close(); // so that the counters below are one moment's
        BusStats stats = bus.stats();
        DeviceStats ok = stats.devices().get(0);
        DeviceStats bad = stats.devices().get(1);
        long neighbour = ok.neighbourOverruns() - warm.neighbourOverruns();
        assertTrue(neighbour >= 4 * 2, "about 4 polls of the neighbour, each holding the line past several 50 ms "
                + "slots: " + ok);
        assertTrue(ok.heldUpBy().startsWith("meter bad, "), ok.heldUpBy());
        // A scheduler hiccup (a GC pause while it sleeps) is the device's own; the neighbour's are not.
        assertTrue(ok.overruns() - warm.overruns() <= neighbour / 4, "the neighbour's overruns are not counted as the "
                + "healthy device's own: " + ok);
        assertEquals(0, bad.neighbourOverruns(), "the healthy device's 2 ms polls hold nobody up");
        assertEquals(stats.overruns(), ok.neighbourOverruns() + ok.overruns() + bad.overruns());
    }

    private ModbusTcpSimulator simulator(boolean rtuOverTcp) throws Exception {
        ModbusTcpSimulator s = ModbusTcpSimulator.builder().port(0).rtuOverTcp(rtuOverTcp)
                .unit(1, sdm120).unit(2, sdm120).build().start();
        closing.add(s);
        return s;
    }

    /** Unit 1 ("ok") and unit 2 ("bad") on one shared link, one scheduler. */
    private BusScheduler start(ModbusTcpSimulator sim, boolean rtu, Duration okInterval, Duration badInterval) {
        ModbusClient link = rtu
                ? ModbusClient.rtuOverTcp("127.0.0.1", sim.port(), LinkOptions.RTU_OVER_TCP.withResponseTimeout(TIMEOUT)
                        .withLateReplyGuard(Duration.ofMillis(50)).withPause(Duration.ofMillis(2)))
                : ModbusClient.tcp("127.0.0.1", sim.port(), LinkOptions.TCP.withResponseTimeout(TIMEOUT));
        EventHub hub = new EventHub(List.of("ok", "bad"), 100, 1);
        List<Point> points = sdm120.points();
        PolledDevice ok = new PolledDevice("ok", new ModbusMeter(link, 1, sdm120.limits()), points,
                List.of(new PollGroup("", okInterval, points)));
        PolledDevice bad = new PolledDevice("bad", new ModbusMeter(link, 2, sdm120.limits()), points,
                List.of(new PollGroup("", badInterval, points)));
        BusScheduler s = new BusScheduler("b", rtu ? "modbus-rtu-over-tcp" : "modbus-tcp", List.of(ok, bad), hub,
                Backoff.DEFAULT, 0.25, link, Clock.systemUTC());
        closing.add(s);
        s.start();
        return s;
    }

    private static DeviceStats healthy(BusScheduler bus) {
        return bus.stats().devices().get(0);
    }

    private static DeviceStats hostileStats(BusScheduler bus) {
        return bus.stats().devices().get(1);
    }
}
