package io.edgegateway.hub;

import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.point.Scaling;
import io.edgegateway.point.Table;
import io.edgegateway.reading.MeterStatus;
import io.edgegateway.reading.Reading;
import io.edgegateway.reading.StatusReport;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventHubTest {

    private static final Point VOLTS = new Point("L1 Voltage", ModbusAddress.of(Table.INPUT, 0, DataType.FLOAT32),
            Scaling.NONE, 1, "V", new BigDecimal("0.5"), Map.of(), "", "");
    private static final Point AMPS = new Point("L1 Current", ModbusAddress.of(Table.INPUT, 6, DataType.FLOAT32),
            Scaling.NONE, 2, "A", BigDecimal.ZERO, Map.of(), "", "");
    private static final SubscriptionFilter ALL = new SubscriptionFilter(Set.of(), Set.of(), true, true);

    private final Instant t0 = Instant.parse("2025-12-15T15:42:58.080Z");

    private static Reading reading(String meter, Instant t, String volts, String amps) {
        return Reading.of(meter, t, Map.of(VOLTS, new PointValue.Number(new BigDecimal(volts)),
                AMPS, new PointValue.Number(new BigDecimal(amps))));
    }

    private static final class Recorder implements Subscriber {
        final List<HubEvent> got = new ArrayList<>();
        int capacity = Integer.MAX_VALUE;

        @Override
        public boolean offer(HubEvent event) {
            if (got.size() >= capacity) {
                return false;
            }
            got.add(event);
            return true;
        }
    }

    @Test
    void deadbandIsMeasuredFromTheLastReportedValueNotTheLastPoll() {
        EventHub hub = new EventHub(List.of("m"), 100, 1);
        assertTrue(hub.publishReading(reading("m", t0, "230.0", "5.00")).isPresent());
        // Creeping up by 0.3 V per poll: each step is inside the 0.5 V deadband...
        assertFalse(hub.publishReading(reading("m", t0.plusSeconds(1), "230.3", "5.00")).isPresent());
        // ...but against the last reported 230.0 the third step is 0.6 V: reported.
        HubEvent e = hub.publishReading(reading("m", t0.plusSeconds(2), "230.6", "5.00")).orElseThrow();
        assertEquals(Set.of("L1 Voltage"), ((HubEvent.Data) e).changed());
        assertEquals(1, hub.suppressedCount());
        assertEquals("230.6", hub.latest("m").orElseThrow().values().get("L1 Voltage").value() instanceof PointValue.Number n
                ? n.value().toPlainString() : "");
    }

    @Test
    void anObserverThatThrowsKeepsNeitherThePublisherNorTheOtherObserversFromThePoll() {
        EventHub hub = new EventHub(List.of("m"), 100, 1);
        List<String> seen = new ArrayList<>();
        hub.observe(new PollObserver() {
            @Override
            public void polled(Reading reading) {
                throw new IllegalStateException("a bug in an observer");
            }

            @Override
            public void reported(StatusReport report) {
                throw new IllegalStateException("a bug in an observer");
            }
        });
        hub.observe(new PollObserver() {
            @Override
            public void polled(Reading reading) {
                seen.add("polled");
            }

            @Override
            public void reported(StatusReport report) {
                seen.add("reported");
            }
        });
        for (int i = 0; i < 2; i++) { // the second time it is counted, not logged again
            assertTrue(hub.publishStatus(new StatusReport("m", i == 0 ? MeterStatus.CONNECTED : MeterStatus.ERROR,
                    t0, null)).isPresent());
            assertTrue(hub.publishReading(reading("m", t0.plusSeconds(i), 230 + i + ".0", "5.00")).isPresent());
        }
        assertEquals(List.of("reported", "polled", "reported", "polled"), seen);
    }

    @Test
    void statusEventsOnlyOnTransitions() {
        EventHub hub = new EventHub(List.of("m"), 100, 1);
        assertFalse(hub.publishStatus(new StatusReport("m", MeterStatus.DISCONNECTED, null, "x")).isPresent(),
                "a meter starts DISCONNECTED");
        assertTrue(hub.publishStatus(new StatusReport("m", MeterStatus.CONNECTED, t0, null)).isPresent());
        assertFalse(hub.publishStatus(new StatusReport("m", MeterStatus.CONNECTED, t0.plusSeconds(5), null)).isPresent());
        assertEquals(t0.plusSeconds(5), hub.status("m").lastSeen(), "lastSeen still advances");
    }

    @Test
    void idsAreContiguousAndReplayEndsExactlyAtTheBuffer() {
        EventHub hub = new EventHub(List.of("m"), 3, 100);
        for (int i = 0; i < 5; i++) {
            hub.publishReading(reading("m", t0.plusSeconds(i), String.valueOf(200 + i), "1.00"));
        }
        assertEquals(104, hub.lastId());
        // Buffer holds 102, 103, 104: resuming from 101 misses nothing.
        Attachment ok = hub.subscribe(ALL, OptionalLong.of(101), new Recorder());
        assertEquals(Attachment.Resume.RESUMED, ok.resume());
        assertEquals(List.of(102L, 103L, 104L), ok.backlog().stream().map(HubEvent::id).toList());
        assertEquals(101, ok.position(), "frames ahead of the backlog carry the client's own position");
        // From 100, event 101 is gone.
        assertEquals(Attachment.Resume.GAP, hub.subscribe(ALL, OptionalLong.of(100), new Recorder()).resume());
        // Up to date: nothing to replay.
        Attachment current = hub.subscribe(ALL, OptionalLong.of(104), new Recorder());
        assertEquals(Attachment.Resume.RESUMED, current.resume());
        assertEquals(List.of(), current.backlog());
        assertEquals(Attachment.Resume.GAP, hub.subscribe(ALL, OptionalLong.of(105), new Recorder()).resume(),
                "an id the hub never issued");
    }

    @Test
    void aFullSubscriberIsMarkedAndTheCursorCoversFilteredEvents() {
        EventHub hub = new EventHub(List.of("a", "b"), 100, 1);
        Recorder onlyA = new Recorder();
        Subscription s = hub.subscribe(new SubscriptionFilter(Set.of("a"), Set.of(), true, true), OptionalLong.empty(),
                onlyA).subscription();
        hub.publishReading(reading("b", t0, "230.0", "1.00"));
        assertEquals(List.of(), onlyA.got);
        assertEquals(hub.lastId(), s.cursor(), "filtered-out events still move the cursor");

        onlyA.capacity = 1;
        hub.publishReading(reading("a", t0, "230.0", "1.00"));
        hub.publishReading(reading("a", t0.plusSeconds(1), "240.0", "1.00"));
        assertTrue(s.overflowed());
        assertEquals(1, onlyA.got.size());
        long cursorAtOverflow = s.cursor();
        hub.publishReading(reading("a", t0.plusSeconds(2), "250.0", "1.00"));
        assertEquals(cursorAtOverflow, s.cursor(), "no further deliveries to an overflowed subscriber");
    }

    @Test
    void snapshotEventsCarryTheCurrentIdSoResumingFromThemLosesNothing() {
        EventHub hub = new EventHub(List.of("m"), 100, 1);
        hub.publishReading(reading("m", t0, "230.0", "1.00"));
        hub.publishStatus(new StatusReport("m", MeterStatus.CONNECTED, t0, null));
        Attachment a = hub.subscribe(ALL, OptionalLong.empty(), new Recorder());
        assertEquals(Attachment.Resume.NONE, a.resume());
        assertEquals(hub.lastId(), a.position());
        assertEquals(2, a.backlog().size());
        a.backlog().forEach(e -> assertEquals(hub.lastId(), e.id()));
    }
}
