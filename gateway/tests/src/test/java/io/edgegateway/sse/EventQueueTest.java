package io.edgegateway.sse;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventQueueTest {

    @Test
    void growsToItsBoundInOrderAndRefusesBeyondIt() {
        EventQueue q = new EventQueue(100);
        int next = 0;
        int expect = 0;
        // Around the ring and through every growth step, with the head moving meanwhile.
        for (int round = 0; round < 3; round++) {
            while (q.size() < 100) {
                assertTrue(q.offer(next++));
            }
            assertFalse(q.offer(-1), "full at its bound");
            for (int i = 0; i < 37; i++) {
                assertEquals(expect++, q.poll());
            }
        }
        while (q.size() > 0) {
            assertEquals(expect++, q.poll());
        }
        assertEquals(next, expect);
        assertNull(q.poll());
        assertTrue(q.offer("after a drain"), "the ring given back after the burst serves again");
        assertEquals("after a drain", q.poll());
        assertEquals(100, q.capacity());
    }

    @Test
    void aWaitingPollGetsWhatIsOfferedOrNothingAfterItsTime() throws Exception {
        EventQueue q = new EventQueue(8);
        long t0 = System.nanoTime();
        assertNull(q.poll(Duration.ofMillis(50).toNanos()));
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(50).toNanos());
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            q.offer("late");
        });
        assertEquals("late", q.poll(Duration.ofSeconds(5).toNanos()));
    }
}
