package io.edgegateway.sse;

import io.edgegateway.hub.Attachment;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Why a stream was cut off survives what cutting it off causes. Cutting off a stalled client closes its socket,
 * and the hang-up watch, reading that socket, then reports a hang-up; the stream must still end as slow, or the
 * drop goes uncounted (it did, now and then, on a loaded machine).
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
