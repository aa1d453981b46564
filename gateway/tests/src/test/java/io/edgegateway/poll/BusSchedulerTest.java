package io.edgegateway.poll;

import io.edgegateway.hub.EventHub;
import io.edgegateway.hub.HubEvent;
import io.edgegateway.hub.Subscriber;
import io.edgegateway.hub.SubscriptionFilter;
import io.edgegateway.modbus.transport.LinkOptions;
import io.edgegateway.modbus.ModbusClient;
import io.edgegateway.modbus.ModbusMeter;
import io.edgegateway.modbus.plan.ReadPlanner;
import io.edgegateway.point.Point;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;
import io.edgegateway.sim.fault.FaultPlan;
import io.edgegateway.sim.modbus.ModbusTcpSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduler against a real simulated meter: rate, overruns, backoff. */
class BusSchedulerTest {

    private final DeviceProfile sdm120 = ProfileCatalog.shipped().find("sdm120").orElseThrow();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private ModbusTcpSimulator simulator() throws Exception {
        ModbusTcpSimulator s = ModbusTcpSimulator.builder().port(0).unit(1, sdm120).build().start();
        closing.add(s);
        return s;
    }

    /** Starts one device polled every {@code interval}; returns the scheduler and records readings' timestamps. */
    private BusScheduler start(ModbusTcpSimulator sim, Duration interval, Backoff backoff, List<Instant> readings) {
        ModbusClient link = ModbusClient.tcp("127.0.0.1", sim.port(), LinkOptions.TCP.withResponseTimeout(Duration.ofMillis(300)));
        EventHub hub = new EventHub(List.of("m"), 100, 1);
        hub.subscribe(new SubscriptionFilter(Set.of(), Set.of(), true, false), OptionalLong.empty(), new Subscriber() {
            @Override
            public boolean offer(HubEvent e) {
                if (e instanceof HubEvent.Data d) {
                    synchronized (readings) {
                        readings.add(d.reading().timestamp());
                    }
                }
                return true;
            }
        });
        List<Point> points = sdm120.points();
        PolledDevice d = new PolledDevice("m", new ModbusMeter(link, 1, sdm120.limits()), points,
                List.of(new PollGroup("", interval, points)));
        BusScheduler s = new BusScheduler("b", "modbus-tcp", List.of(d), hub, backoff, 0.5, link, Clock.systemUTC());
        closing.add(s);
        s.start();
        return s;
    }

    @Test
    void pollsAtAFixedRateWithoutDrift() throws Exception {
        ModbusTcpSimulator sim = simulator(); // live values: every poll changes something, so every poll is a reading
        // Each poll takes about 3 x 50 ms: a scheduler that waited an interval after each poll would drift by that
        // much per poll (~1 s over 7 polls); fixed-rate slots do not drift at all.
        sim.faults().set(FaultPlan.delayed(Duration.ofMillis(50)));
        List<Instant> readings = new ArrayList<>();
        start(sim, Duration.ofMillis(500), Backoff.DEFAULT, readings);
        Thread.sleep(4200);
        List<Instant> t;
        synchronized (readings) {
            t = List.copyOf(readings);
        }
        assertTrue(t.size() >= 6, "about 8 polls in 4.2 s at 500 ms, got " + t.size());
        long spanMs = Duration.between(t.get(0), t.get(t.size() - 1)).toMillis();
        long expected = 500L * (t.size() - 1);
        assertTrue(Math.abs(spanMs - expected) < 300, "no drift: " + spanMs + " ms for " + (t.size() - 1)
                + " intervals of 500 ms (fixed delay would give ~" + (expected + 150L * (t.size() - 1)) + ")");
    }

    @Test
    void aSlotThatIsAlreadyOverIsSkippedAndCountedNotQueued() throws Exception {
        ModbusTcpSimulator sim = simulator();
        sim.faults().set(FaultPlan.delayed(Duration.ofMillis(250)));
        BusScheduler s = start(sim, Duration.ofMillis(100), Backoff.DEFAULT, new ArrayList<>());
        Thread.sleep(3000);
        BusStats stats = s.stats();
        // A poll is one delayed answer per planned request; slots of 100 ms that pass meanwhile are skipped.
        int requests = new ReadPlanner(sdm120.limits()).plan(sdm120.points()).requests().size();
        double pollSeconds = requests * 0.25;
        long fit = (long) Math.ceil(3.0 / pollSeconds);
        assertTrue(stats.polls() <= fit + 1, "missed slots are not made up: " + stats.polls() + " polls of "
                + requests + " requests in 3 s (queuing them would run ~30)");
        assertTrue(stats.polls() >= fit - 2, "still polling: " + stats.polls());
        assertTrue(stats.overruns() >= (stats.polls() - 1) * (long) (pollSeconds / 0.1 - 1),
                "each poll overran the slots it outlasted: " + stats.overruns());
        assertEquals(stats.overruns(), stats.devices().get(0).overruns());
    }

    @Test
    void aSilentDeviceBacksOffExponentially() throws Exception {
        ModbusTcpSimulator sim = simulator();
        sim.faults().set(FaultPlan.silence());
        BusScheduler s = start(sim, Duration.ofMillis(100), new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1)),
                new ArrayList<>());
        Thread.sleep(4000);
        DeviceStats d = s.stats().devices().get(0);
        // Without backoff: 4 s / (300 ms timeout) ≈ 13 attempts. With 200, 400, 800, 1000 ms waits after each
        // 300 ms timeout: about 6.
        assertTrue(d.polls() >= 3 && d.polls() <= 8, "backed off: " + d.polls() + " attempts in 4 s");
        assertEquals(d.polls(), d.consecutiveFailures());
        assertNotNull(d.nextAttempt());
        assertEquals("DISCONNECTED", d.status().name());
        assertTrue(d.lastError().contains("timeout") || d.lastError().contains("no answer"), d.lastError());

        sim.faults().clear();
        Thread.sleep(1500);
        DeviceStats back = s.stats().devices().get(0);
        assertEquals("CONNECTED", back.status().name(), "recovers on the next attempt");
        assertEquals(0, back.consecutiveFailures());
    }
}
