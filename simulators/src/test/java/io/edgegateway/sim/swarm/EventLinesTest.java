package io.edgegateway.sim.swarm;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EventLinesTest {

    /** Hands out at most a few bytes a read, as a socket may: lines cross every read boundary. */
    private static InputStream trickle(byte[] bytes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(3000)));
            }
        };
    }

    private static List<String> bulk(byte[] bytes, long seed) throws IOException {
        List<String> out = new ArrayList<>();
        EventLines.read(trickle(bytes, seed), (b, from, to) ->
                out.add(new String(b, from, to - from, StandardCharsets.ISO_8859_1)));
        return out;
    }

    private static List<String> oneByOne(byte[] bytes) throws IOException {
        List<String> out = new ArrayList<>();
        InputStream in = new ByteArrayInputStream(bytes);
        for (String line; (line = StreamResponse.line(in)) != null; ) {
            out.add(line);
        }
        return out;
    }

    @Test
    void theSameLinesAsReadingByteByByte() throws IOException {
        StringBuilder s = new StringBuilder();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 2000; i++) {
            s.append("id: ").append(i).append('\n').append(i % 3 == 0 ? "event: data\n" : "");
            s.append("data: {\"timestamp\":\"2026-12-01T10:00:00Z\",\"v\":\"").append("x".repeat(random.nextInt(5000)))
                    .append("\"}").append(i % 7 == 0 ? "\r\n" : "\n").append(i % 11 == 0 ? "\r\n" : "\n");
        }
        s.append("a line long past the first buffer ").append("y".repeat(40_000)).append('\n');
        s.append("\r\r\n:\ra comment with a CR in it\n");
        s.append("the last line, without its end");
        byte[] bytes = s.toString().getBytes(StandardCharsets.ISO_8859_1);
        List<String> expected = oneByOne(bytes);
        for (long seed = 1; seed <= 3; seed++) {
            assertEquals(expected, bulk(bytes, seed));
        }
    }

    @Test
    void aStreamEndingInALineBreakOrACarriageReturnHasNoEmptyLastLine() throws IOException {
        for (String s : new String[] {"a\nb\n", "a\nb\n\r", "", "\r"}) {
            byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
            assertEquals(oneByOne(bytes), bulk(bytes, 1), s);
        }
    }

    @Test
    void prefixesAndSearches() {
        byte[] b = "xxdata: {\"timestamp\":\"t\"}".getBytes(StandardCharsets.US_ASCII);
        byte[] data = "data: ".getBytes(StandardCharsets.US_ASCII);
        assertEquals(true, EventLines.startsWith(b, 2, b.length, data));
        assertEquals(false, EventLines.startsWith(b, 0, b.length, data));
        assertEquals(false, EventLines.startsWith(b, 2, 5, data));
        assertEquals(9, EventLines.indexOf(b, 0, b.length, "\"timestamp\"".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(-1, EventLines.indexOf(b, 0, 12, "\"timestamp\"".getBytes(StandardCharsets.US_ASCII)));
    }
}
