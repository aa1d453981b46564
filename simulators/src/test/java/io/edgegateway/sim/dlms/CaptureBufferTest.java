package io.edgegateway.sim.dlms;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The FIFO ring of a simulated buffer, and capture boundaries in the meter's local time. */
class CaptureBufferTest {

    @Test
    void theOldestRowIsFirstAndDropsWhenFull() {
        CaptureBuffer b = new CaptureBuffer(2, 100);
        for (int i = 0; i < 250; i++) {
            b.add(i, i * 10L);
        }
        assertEquals(100, b.size());
        assertEquals(150, b.get(0, 0), "the 150 oldest rows went");
        assertEquals(2490, b.get(99, 1));
        assertEquals(249, b.newest(0, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> b.get(100, 0));
        assertThrows(IllegalArgumentException.class, () -> b.add(1, 2, 3));
    }

    @Test
    void boundariesFallOnLocalMidnightAndQuarterHours() {
        Clock utc = Clock.fixed(Instant.parse("2026-11-03T10:07:00Z"), ZoneOffset.UTC);
        MeterClock cet = new MeterClock(utc, Duration.ZERO, -60);
        long now = utc.instant().getEpochSecond();
        assertEquals(Instant.parse("2026-11-02T23:00:00Z").getEpochSecond(), cet.boundaryAtOrBefore(now, 86_400),
                "midnight CET is 23:00 UTC");
        assertEquals(Instant.parse("2026-11-03T10:15:00Z").getEpochSecond(), cet.boundaryAfter(now, 900));
        assertEquals(-60, cet.dateTime(utc.instant()).deviation());
        assertEquals(11, cet.dateTime(utc.instant()).hour());
    }
}
