package io.edgegateway.bench.soak;

import io.edgegateway.sim.swarm.StreamResponse;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Dashboards that behave as real ones do on bad networks: each connects to a stream, reads for a while, then goes
 * away (closes, resets, or stops reading and holds the socket), and comes back, sometimes resuming with
 * Last-Event-ID. A few read so slowly that the gateway must cut them off. Every reading they receive is checked
 * against the pinned values.
 */
final class SoakClients implements AutoCloseable {

    /** One dashboard's state, for the restart measurement. */
    static final class Client {
        /** The {@code connected} events of the last minutes: when it came back after a restart. */
        private final java.util.concurrent.ConcurrentLinkedDeque<Instant> connects = new java.util.concurrent.ConcurrentLinkedDeque<>();
        /** Streaming normally, not a slow reader nor holding a dead socket: it must come back after a restart. */
        volatile boolean live;
        final boolean slow;

        Client(boolean slow) {
            this.slow = slow;
        }

        void connected(Instant at) {
            connects.addLast(at);
            while (connects.size() > 64) {
                connects.pollFirst();
            }
        }

        /** The first {@code connected} event after {@code since}, or null. */
        Instant firstConnectedAfter(Instant since) {
            for (Instant t : connects) {
                if (t.isAfter(since)) {
                    return t;
                }
            }
            return null;
        }
    }

    final LongAdder refused = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final LongAdder streams = new LongAdder();
    final LongAdder valuesChecked = new LongAdder();
    final LongAdder wrongValues = new LongAdder();
    final LongAdder events = new LongAdder();
    final ConcurrentLinkedQueue<String> wrongExamples = new ConcurrentLinkedQueue<>();

    private final int port;
    private final List<String> meters;
    private final Map<String, Integer> meterIndex;
    private final PinnedValues pinned;
    private final List<Client> clients = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    SoakClients(int port, Map<String, Integer> meterIndex, PinnedValues pinned) {
        this.port = port;
        this.meters = List.copyOf(meterIndex.keySet());
        this.meterIndex = Map.copyOf(meterIndex);
        this.pinned = pinned;
    }

    void start(int churning, int slow) {
        for (int i = 0; i < churning + slow; i++) {
            Client c = new Client(i >= churning);
            long seed = 1000 + i;
            clients.add(c);
            threads.add(Thread.ofVirtual().name("soak-client-" + i).start(() -> run(c, new SplittableRandom(seed))));
        }
    }

    List<Client> clients() {
        return clients;
    }

    private void run(Client c, SplittableRandom random) {
        long lastId = -1;
        while (running) {
            String path = path(random);
            boolean resume = lastId >= 0 && random.nextInt(2) == 0;
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                if (c.slow) {
                    s.setReceiveBufferSize(2048);
                }
                s.setSoTimeout(45_000);
                s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                        + (resume ? "Last-Event-ID: " + lastId + "\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
                StreamResponse response = StreamResponse.read(s.getInputStream());
                if (response.code() == 503) {
                    refused.increment();
                    pause(random, 1000, 3000);
                    continue;
                }
                if (response.code() != 200) {
                    connectFailures.increment();
                    pause(random, 500, 1500);
                    continue;
                }
                InputStream in = response.body();
                streams.increment();
                long id = c.slow ? readSlowly(in) : readFor(c, in, random, 5_000 + random.nextInt(25_000));
                lastId = Math.max(lastId, id);
                if (!c.slow && running) {
                    vanish(c, s, random);
                }
            } catch (IOException e) {
                // The gateway was killed, restarting, or cut this client off: come back as EventSource does.
                if (!c.slow && c.live) {
                    c.live = false;
                }
                if (!running) {
                    return;
                }
                if (e instanceof java.net.ConnectException) {
                    connectFailures.increment();
                }
            }
            pause(random, 500, 1500);
        }
    }

    private String path(SplittableRandom random) {
        int r = random.nextInt(100);
        String meter = meters.get(random.nextInt(meters.size()));
        if (r < 60) {
            return r < 45 ? "/api/sse/meters" : "/api/sse/meters?format=typed";
        }
        return r < 85 ? "/api/sse/real-time-data/" + meter : "/api/sse/meter-status/" + meter;
    }

    /** Reads events for {@code millis}, checking readings; returns the last event id seen. */
    private long readFor(Client c, InputStream in, SplittableRandom random, long millis) throws IOException {
        long until = System.nanoTime() + millis * 1_000_000L;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 8192);
        long lastId = -1;
        String event = null;
        StringBuilder data = new StringBuilder();
        String line;
        while (running && System.nanoTime() < until) {
            line = r.readLine();
            if (line == null) {
                throw new IOException("the gateway closed the stream"); // killed, restarting, or it cut us off
            }
            if (line.startsWith("id:")) {
                lastId = parseId(line.substring(3).trim(), lastId);
            } else if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).trim());
            } else if (line.isEmpty() && !data.isEmpty()) {
                events.increment();
                if ("connected".equals(event)) {
                    c.connected(Instant.now());
                    c.live = true;
                } else if (event == null || event.equals("data")) {
                    check(data.toString());
                }
                event = null;
                data.setLength(0);
            }
        }
        if (!running) {
            throw new IOException("stopped");
        }
        return lastId;
    }

    private void check(String json) {
        JsonObject o;
        try {
            o = Json.createReader(new StringReader(json)).readObject();
        } catch (RuntimeException e) {
            wrong("not JSON: " + json);
            return;
        }
        Integer index = meterIndex.get(o.getString("meterNo", ""));
        if (index == null || !o.containsKey("timestamp")) {
            wrong("a reading without a known meter or a timestamp: " + json);
            return;
        }
        Instant at = Instant.parse(o.getString("timestamp"));
        // The documented reading: "L1 Voltage":"230.5 V" beside meterNo and timestamp. Typed: values.{name}.value.
        JsonObject values = o.getJsonObject("values");
        for (var e : (values != null ? values : o).entrySet()) {
            if (values == null && (e.getKey().equals("meterNo") || e.getKey().equals("timestamp"))) {
                continue;
            }
            BigDecimal number = number(e.getValue() instanceof JsonObject p ? p.get("value") : e.getValue());
            if (number != null) {
                valuesChecked.increment();
                String why = pinned.check(index, number, at);
                if (why != null) {
                    wrong(o.getString("meterNo") + " " + e.getKey() + ": " + why);
                }
            }
        }
    }

    /** The number a value carries ("230.5 V", 230.5), or null for labels, flags and text. */
    private static BigDecimal number(JsonValue v) {
        if (v instanceof JsonNumber n) {
            return n.bigDecimalValue();
        }
        if (v instanceof JsonString s) {
            String first = s.getString().split(" ", 2)[0];
            try {
                return new BigDecimal(first);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private void wrong(String what) {
        wrongValues.increment();
        if (wrongExamples.size() < 10) {
            wrongExamples.add(what);
        }
    }

    /** A dashboard on a phone in a lift: closes, resets, or holds the socket without reading for a while. */
    private void vanish(Client c, Socket s, SplittableRandom random) throws IOException {
        c.live = false;
        switch (random.nextInt(3)) {
            case 0 -> s.close();
            case 1 -> {
                s.setSoLinger(true, 0);
                s.close();
            }
            default -> {
                pause(random, 20_000, 60_000);
                s.setSoLinger(true, 0);
                s.close();
            }
        }
    }

    /** Takes 64 bytes every half second: far behind any stream with readings in it. */
    private long readSlowly(InputStream in) throws IOException {
        byte[] b = new byte[64];
        while (running) {
            if (in.read(b) < 0) {
                return -1;
            }
            pause(null, 500, 500);
        }
        return -1;
    }

    private static long parseId(String text, long dflt) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static void pause(SplittableRandom random, int minMillis, int maxMillis) {
        try {
            Thread.sleep(random == null || maxMillis == minMillis ? minMillis : minMillis + random.nextInt(maxMillis - minMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        threads.forEach(Thread::interrupt);
    }
}
