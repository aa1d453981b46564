package io.edgegateway.sse;

import io.edgegateway.hub.Attachment;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Why a stream was cut off survives what cutting it off causes. Cutting off a client whose write is blocked
 * closes its socket, and the hang-up watch, reading that socket, then reports a hang-up; the stream must still end
 * for the reason it was cut off (slow, stalled), or the drop goes uncounted (it did, now and then, on a loaded
 * machine).
 */
class SseClientCutOffTest {

    @Test
    void theFirstReasonStandsWhenTheClosedSocketThenLooksLikeAHangUp() {
        SseClient client = client();
        client.abort("slow");
        client.abort("disconnected");
        assertEquals("slow", client.stream(OutputStream.nullOutputStream(), nothingToSend(), Duration.ofSeconds(30),
                Duration.ofSeconds(3)));
    }

    @Test
    void aWriteBlockedWhenItIsCutOffEndsForTheCutOffNotForTheHangUpItCauses() throws Exception {
        SseClient client = client();
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch hangUpSeen = new CountDownLatch(1);
        // A client that stopped reading: the write blocks until the writer is interrupted, and, as the socket the
        // interrupt closes is what the hang-up watch reads, fails only once the watch has reported.
        OutputStream stalled = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writing.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    try {
                        hangUpSeen.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException again) {
                        Thread.currentThread().interrupt();
                    }
                    throw new InterruptedIOException("socket closed");
                }
            }
        };
        CompletableFuture<String> ended = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> ended.complete(client.stream(stalled, nothingToSend(), Duration.ofSeconds(30),
                Duration.ofSeconds(3))));
        assertTrue(writing.await(5, TimeUnit.SECONDS), "the opening frames are being written");
        client.abort("stalled"); // the registry's watchdog
        client.abort("disconnected"); // the hang-up watch, seeing the socket close
        hangUpSeen.countDown();
        assertEquals("stalled", ended.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aHangUpBeforeAnyCutOffIsADisconnect() {
        SseClient client = client();
        client.abort("disconnected");
        client.abort("stalled");
        assertEquals("disconnected", client.stream(OutputStream.nullOutputStream(), nothingToSend(),
                Duration.ofSeconds(30), Duration.ofSeconds(3)));
    }

    private static SseClient client() {
        return new SseClient(1, null, "127.0.0.1:50000", StreamKind.METERS, null, new Audience(null, null, Map.of()),
                new StreamFormat(Set.of(), false, false), 16, new LongAdder(), Clock.systemUTC());
    }

    private static Attachment nothingToSend() {
        return new Attachment(null, List.of(), Attachment.Resume.NONE, 0, null);
    }
}
