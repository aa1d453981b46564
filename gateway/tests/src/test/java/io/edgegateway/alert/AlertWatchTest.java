package io.edgegateway.alert;

import io.edgegateway.config.ConfigLoader;
import io.edgegateway.config.DeviceConfig;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.hub.EventHub;
import io.edgegateway.hub.HubEvent;
import io.edgegateway.hub.SubscriptionFilter;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.profile.ConfigNode;
import io.edgegateway.reading.Alert;
import io.edgegateway.reading.MeterStatus;
import io.edgegateway.reading.Reading;
import io.edgegateway.reading.StatusReport;
import io.edgegateway.testing.HandClock;
import jakarta.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule semantics on a real hub, driven by a hand clock: hysteresis, {@code for} on polls and on the clock alone,
 * eq on labels and flags, between and outside, status rules, deadbands that do not hide a crossing, acknowledgement.
 */
class AlertWatchTest {

    private final HandClock clock = new HandClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final List<Alert> seen = new CopyOnWriteArrayList<>();
    private GatewayConfig config;
    private EventHub hub;
    private AlertWatch watch;

    @AfterEach
    void stop() {
        if (watch != null) {
            watch.close();
        }
    }

    private void start(String alerts) {
        start(alerts, clock, AlertBook.NONE);
    }

    private void start(String alerts, Clock clock, AlertBook book) {
        config = ConfigLoader.loadYaml("""
                buses: [{name: b, type: modbus-tcp, host: 127.0.0.1, port: 1502}]
                devices:
                  - {meter-no: m1, bus: b, unit-id: 1, profile: sdm630}
                  - {meter-no: p1, bus: b, unit-id: 2, profile: plc}
                alerts:
                """ + alerts, "alerts.yaml", Path.of("."));
        hub = new EventHub(config.devices().stream().map(DeviceConfig::meterNo).toList(), 100, 1);
        hub.subscribe(SubscriptionFilter.alertsOf(Set.of()), OptionalLong.empty(), e -> {
            if (e instanceof HubEvent.AlertState a) {
                seen.add(a.alert());
            }
            return true;
        });
        watch = new AlertWatch(config.alerts(), config.devices().stream()
                .map(d -> new WatchedMeter(d.meterNo(), d.profile(), d.points())).toList(), hub, book,
                ConfigLoader.alertRules(config.profiles(), config.devices()), clock);
        watch.start();
    }

    private void poll(String meterNo, String point, PointValue v) {
        Point p = config.device(meterNo).orElseThrow().points().stream().filter(x -> x.name().equals(point))
                .findFirst().orElseThrow();
        hub.publishStatus(new StatusReport(meterNo, MeterStatus.CONNECTED, clock.instant(), null));
        hub.publishReading(Reading.of(meterNo, clock.instant(), Map.of(p, v)));
    }

    private void volts(String v) {
        poll("m1", "L1 Voltage", new PointValue.Number(new BigDecimal(v)));
    }

    private void later(Duration d) {
        clock.advance(d);
        watch.check();
    }

    private List<String> states() {
        return seen.stream().map(a -> a.state().configName()).toList();
    }

    @Test
    void aboveWithHysteresisAndForRaisesOnceAndClearsOnce() {
        start("  - {id: over, meters: [m1], point: L1 Voltage, condition: gt, value: 253, for: 30s, hysteresis: 2,"
                + " severity: critical}\n");
        volts("254");
        later(Duration.ofSeconds(20));
        volts("253"); // not above: the pending raise starts over
        later(Duration.ofSeconds(20));
        volts("254.5");
        later(Duration.ofSeconds(29));
        volts("255");
        assertEquals(List.of(), states(), "29 s above is not 30");
        later(Duration.ofSeconds(1)); // by the clock alone, no poll
        assertEquals(List.of("raised"), states());
        Alert raised = seen.getFirst();
        assertEquals("over", raised.ruleId());
        assertEquals("m1", raised.meterNo());
        assertEquals("L1 Voltage", raised.point());
        assertEquals(Alert.Severity.CRITICAL, raised.severity());
        assertEquals(Json.createValue(new BigDecimal("255")), raised.value(), "the value last seen");

        volts("256");
        volts("252"); // inside the hysteresis band: neither raises nor clears
        later(Duration.ofMinutes(5));
        volts("251");
        later(Duration.ofSeconds(15));
        volts("252"); // back in the band: the pending clear starts over
        volts("250");
        later(Duration.ofSeconds(29));
        assertEquals(List.of("raised"), states());
        later(Duration.ofSeconds(1));
        assertEquals(List.of("raised", "cleared"), states());
        Alert cleared = seen.get(1);
        assertEquals(raised.alertId(), cleared.alertId(), "one occurrence, one id");
        assertEquals(Json.createValue(new BigDecimal("250")), cleared.value());
        assertEquals(clock.instant(), cleared.timestamp());
        later(Duration.ofHours(1));
        volts("249");
        assertEquals(2, seen.size(), "cleared once");
    }

    @Test
    void aDeadbandDoesNotHideACrossing() {
        // L1 Voltage has a 0.5 V deadband: 253.3 after 253.0 is not published, and still crosses 253.2.
        start("  - {id: over, profile: sdm630, point: L1 Voltage, condition: gt, value: 253.2}\n");
        volts("253.0");
        long published = hub.publishedCount();
        volts("253.3");
        assertEquals(List.of("raised"), states());
        assertEquals(published + 1, hub.publishedCount(), "the reading itself was not published, only the alert");
    }

    @Test
    void betweenAndOutsideAreSymmetric() {
        start("""
                  - {id: band, meters: [m1], point: L1 Voltage, condition: outside, value: [207, 253], hysteresis: 2}
                  - {id: window, meters: [m1], point: Frequency, condition: between, value: [49, 49.5], hysteresis: 0.1}
                """);
        volts("206.9");
        volts("208.9"); // inside, but within 2 of the bound
        volts("209");
        volts("253.5");
        volts("251.5");
        volts("251");
        assertEquals(List.of("raised", "cleared", "raised", "cleared"), states());
        seen.clear();
        poll("m1", "Frequency", new PointValue.Number(new BigDecimal("49.2")));
        poll("m1", "Frequency", new PointValue.Number(new BigDecimal("49.55")));
        poll("m1", "Frequency", new PointValue.Number(new BigDecimal("49.61")));
        poll("m1", "Frequency", new PointValue.Number(new BigDecimal("48.95"))); // below the window: no raise
        poll("m1", "Frequency", new PointValue.Number(new BigDecimal("49.3")));
        poll("m1", "Frequency", new PointValue.Number(new BigDecimal("48.95"))); // within 0.1 of it: no clear
        poll("m1", "Frequency", new PointValue.Number(new BigDecimal("48.89")));
        assertEquals(List.of("raised", "cleared", "raised", "cleared"), states());
        assertTrue(seen.stream().allMatch(a -> a.ruleId().equals("window")));
    }

    @Test
    void eqComparesLabelsNumbersAndFlags() {
        start("""
                  - {id: alarm-state, meters: [p1], point: Process State, condition: eq, value: ALARM}
                  - {id: draining, meters: [p1], point: Process State, condition: eq, value: 2}
                  - {id: sensor, meters: [p1], point: Level Sensor OK, condition: eq, value: FAULT}
                """);
        poll("p1", "Process State", new PointValue.Number(BigDecimal.valueOf(3)));
        poll("p1", "Process State", new PointValue.Number(BigDecimal.valueOf(2)));
        poll("p1", "Level Sensor OK", new PointValue.Flag(false));
        poll("p1", "Level Sensor OK", new PointValue.Flag(true));
        assertEquals(List.of("alarm-state raised ALARM", "alarm-state cleared DRAINING", "draining raised DRAINING",
                        "sensor raised FAULT", "sensor cleared OK"),
                seen.stream().map(a -> a.ruleId() + " " + a.state().configName() + " " + a.value().toString()
                        .replace("\"", "")).toList());
    }

    @Test
    void aStatusRuleRaisesByTheClockAloneAndClearsWhenTheMeterReturns() {
        start("  - {id: gone, meters: [m1], status: DISCONNECTED, for: 5m}\n");
        // Not polled yet counts as DISCONNECTED from the start; no report needs to come.
        later(Duration.ofMinutes(4));
        hub.publishStatus(new StatusReport("m1", MeterStatus.DISCONNECTED, null, "timeout"));
        assertEquals(List.of(), states());
        later(Duration.ofMinutes(1));
        assertEquals(List.of("raised"), states());
        assertEquals(Json.createValue("DISCONNECTED"), seen.getFirst().value());
        assertEquals(null, seen.getFirst().point());
        later(Duration.ofMinutes(30));
        assertEquals(1, seen.size(), "raised once");
        hub.publishStatus(new StatusReport("m1", MeterStatus.CONNECTED, clock.instant(), null));
        assertEquals(List.of("raised", "cleared"), states(), "cleared at once, without waiting for 'for'");
        assertEquals(Json.createValue("CONNECTED"), seen.get(1).value());
    }

    @Test
    void theTimerThreadRaisesWithoutAnyCall() throws InterruptedException {
        // On the system clock, which the timer thread sleeps by; the test makes no call after the poll.
        start("  - {id: slow, meters: [m1], point: L1 Voltage, condition: lt, value: 200, for: 300ms}\n",
                Clock.systemUTC(), AlertBook.NONE);
        Instant polled = Instant.now();
        volts("190");
        assertEquals(List.of(), states(), "the poll itself does not raise: 300 ms have not passed");
        awaitAlert();
        // No poll, no report, no check() since: only the timer thread can have raised it.
        assertEquals(List.of("slow raised"), seen.stream().map(a -> a.ruleId() + " " + a.state().configName())
                .toList());
        assertFalse(seen.getFirst().timestamp().isBefore(polled.plusMillis(300)), "after for, not before");
    }

    @Test
    void theTimerThreadGoesOnAfterAFault() throws InterruptedException {
        AtomicBoolean fault = new AtomicBoolean(true);
        Clock once = new Clock() { // fails the timer thread's first reading of it
            @Override
            public Instant instant() {
                if (Thread.currentThread().getName().equals("alert-watch") && fault.getAndSet(false)) {
                    throw new DateTimeException("a clock fault");
                }
                return Instant.now();
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
        start("  - {id: slow, meters: [m1], point: L1 Voltage, condition: lt, value: 200, for: 300ms}\n", once,
                AlertBook.NONE);
        volts("190");
        awaitAlert();
        assertFalse(fault.get(), "the timer thread met the fault");
        assertEquals(List.of("raised"), states(), "and raised all the same, a second later");
    }

    private void awaitAlert() throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (seen.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
    }

    @Test
    void acknowledgingRecordsWhoAndAnOccurrenceIsAcknowledgedOnce() {
        start("  - {id: over, meters: [m1], point: L1 Voltage, condition: gt, value: 253}\n");
        volts("260");
        String id = seen.getFirst().alertId();
        assertInstanceOf(AlertWatch.Ack.Unknown.class, watch.acknowledge("nope", "hes"));
        AlertWatch.Ack a = watch.acknowledge(id, "hes");
        assertEquals("hes", assertInstanceOf(AlertWatch.Ack.Done.class, a).alert().by());
        assertInstanceOf(AlertWatch.Ack.AlreadyAcknowledged.class, watch.acknowledge(id, "ops"));
        volts("250");
        assertEquals(List.of("raised", "acknowledged", "cleared"), states());
        assertTrue(seen.stream().allMatch(x -> x.alertId().equals(id)));
        assertInstanceOf(AlertWatch.Ack.AlreadyCleared.class, watch.acknowledge(id, "hes"));
        Occurrence o = watch.list(new AlertQuery(false, null, null, null, 10)).getFirst();
        assertEquals("hes", o.acknowledgedBy());
        assertEquals(Alert.State.CLEARED, o.state());
        assertEquals(List.of(), watch.list(new AlertQuery(true, null, null, null, 10)));
    }

    @Test
    void aSlowStoreHoldsUpNeitherPollsNorTheAcknowledgementOfAnOpenAlert() throws Exception {
        CountDownLatch inStore = new CountDownLatch(2);
        CountDownLatch disk = new CountDownLatch(1);
        start("  - {id: over, meters: [m1], point: L1 Voltage, condition: gt, value: 253}\n", clock,
                new SlowBook(inStore, disk));
        AlertRule low = watch.parser().rule(ConfigNode.parse(
                "{id: low, meters: [m1], point: L1 Voltage, condition: lt, value: 200}", "test"));
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor(); // the common pool may have one thread
        Future<AlertWatch.Ack> unknown = threads.submit(() -> watch.acknowledge("x", "hes"));
        Future<AlertWatch.Change> created = threads.submit(() -> watch.put(low));
        assertTrue(inStore.await(5, TimeUnit.SECONDS), "both wait on the store");

        // Meanwhile a bus thread polls and raises, and an open alert is acknowledged: neither waits for the disk.
        threads.submit(() -> volts("260")).get(2, TimeUnit.SECONDS);
        assertEquals(List.of("raised"), states());
        AlertWatch.Ack done = threads.submit(() -> watch.acknowledge(seen.getFirst().alertId(), "ops"))
                .get(2, TimeUnit.SECONDS);
        assertInstanceOf(AlertWatch.Ack.Done.class, done);
        assertTrue(watch.rule("low").isEmpty(), "not in force before it is kept");

        disk.countDown();
        assertInstanceOf(AlertWatch.Ack.Unknown.class, unknown.get(5, TimeUnit.SECONDS));
        assertInstanceOf(AlertWatch.Change.Created.class, created.get(5, TimeUnit.SECONDS));
        assertEquals(AlertWatch.Origin.RUNTIME, watch.rule("low").orElseThrow().origin());
        threads.close();
    }

    /** A book on a disk that answers {@link #occurrence} and {@link #saveRule} only when told to. */
    private record SlowBook(CountDownLatch inStore, CountDownLatch disk) implements AlertBook {
        private void slow() {
            inStore.countDown();
            try {
                disk.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean keeps() {
            return true;
        }

        @Override
        public List<Occurrence> active() {
            return List.of();
        }

        @Override
        public List<Occurrence> find(AlertQuery query) {
            return List.of();
        }

        @Override
        public Optional<Occurrence> occurrence(String alertId) {
            slow();
            return Optional.empty();
        }

        @Override
        public void clearOccurrence(String alertId, Instant at) {
        }

        @Override
        public Map<String, String> rules() {
            return Map.of();
        }

        @Override
        public void saveRule(String id, String json) {
            slow();
        }

        @Override
        public void deleteRule(String id) {
        }
    }
}
