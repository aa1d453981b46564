package io.edgegateway.uplink;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cursor moves only over what the broker acknowledged, and never past a backlog still being drained. */
class AckLedgerTest {

    @Test
    void theCursorStopsAtTheOldestUnacknowledgedEvent() {
        AckLedger l = new AckLedger(100);
        l.published(101, 1);
        l.published(102, 2);
        l.published(103, 3);
        l.backlogUpTo(103);
        assertEquals(100, l.acked(102), "102 acknowledged, 101 not yet");
        assertEquals(1, l.oldestUnacked().getAsLong());
        assertEquals(100, l.acked(103));
        assertEquals(103, l.acked(101), "all three now");
        assertTrue(l.oldestUnacked().isEmpty());
    }

    @Test
    void liveEventsBetweenSlicesCountOnlyOnceTheBacklogIsDone() {
        AckLedger l = new AckLedger(100);
        l.published(101, 0);
        assertEquals(100, l.backlogUpTo(110), "101 not yet acknowledged");
        l.published(500, 0); // live, while the backlog drains
        l.acked(500);
        assertEquals(100, l.live(500));
        assertEquals(110, l.acked(101), "102..110 were ids with nothing to send (a gap, another run's)");
        assertEquals(500, l.backlogDone(), "the live event acknowledged meanwhile counts now");
        l.published(501, 0);
        assertEquals(500, l.live(501));
        assertEquals(501, l.acked(501));
    }

    @Test
    void theCursorNeverMovesBack() {
        AckLedger l = new AckLedger(100);
        l.backlogDone();
        assertEquals(200, l.live(200));
        assertEquals(200, l.live(150));
        assertEquals(200, l.backlogUpTo(120));
    }
}
