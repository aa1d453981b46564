package io.edgegateway.sse;

import io.edgegateway.config.SseConfig;
import io.edgegateway.http.StreamStats;
import io.edgegateway.reading.ReadingJson;
import io.helidon.webserver.http1.Http1ConnectionListener;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The connected SSE clients: admission up to the configured maximum, statistics, notifications for the clients a
 * target reaches, and a watchdog that cuts off clients whose socket writes have been blocked longer than the
 * client timeout.
 */
public final class ClientRegistry implements StreamStats, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClientRegistry.class.getName());

    private final int maxClients;
    private final int queueSize;
    private final Duration clientTimeout;
    private final Clock clock;
    private final Map<Long, SseClient> live = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong nextId = new AtomicLong(1);
    private final LongAdder eventsSent = new LongAdder();
    private final LongAdder connections = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final Map<String, LongAdder> dropped = new ConcurrentHashMap<>();
    private final LongAdder closedCount = new LongAdder();
    private final LongAdder closedMillis = new LongAdder();
    private final Thread watchdog;
    private final HangUpWatch hangUps = new HangUpWatch();
    private final Semaphore compressionSlots;
    private final int maxCompressed;
    private volatile boolean closed;

    /**
     * @param sse its client limit (503 beyond it), queue size per client (cut off as too slow beyond it), client
     *            timeout (cut off as stalled when one write blocks longer) and gzipped stream limit
     */
    public ClientRegistry(SseConfig sse, Clock clock) {
        this.maxClients = sse.maxClients();
        this.queueSize = sse.queueSize();
        this.clientTimeout = sse.clientTimeout();
        this.compressionSlots = new Semaphore(sse.maxCompressed());
        this.maxCompressed = sse.maxCompressed();
        this.clock = clock;
        this.watchdog = Thread.ofVirtual().name("sse-watchdog").start(this::watch);
    }

    /**
     * The HTTP/1 listener that lets streams notice a client's hang-up at once; the server that serves the streams
     * must be built with it ({@code Http1Config.addReceiveListener}).
     */
    public Http1ConnectionListener connectionListener() {
        return hangUps;
    }

    HangUpWatch hangUpWatch() {
        return hangUps;
    }

    /** Registers a client, or empty when the gateway is at its maximum. */
    Optional<SseClient> admit(String tokenName, String remote, StreamKind kind, String target, Audience audience,
                              StreamFormat format) {
        if (count.incrementAndGet() > maxClients) {
            count.decrementAndGet();
            refused.increment();
            return Optional.empty();
        }
        SseClient c = new SseClient(nextId.getAndIncrement(), tokenName, remote, kind, target, audience, format,
                queueSize, eventsSent, clock);
        live.put(c.id(), c);
        connections.increment();
        return Optional.of(c);
    }

    /**
     * Takes one of the gzipped-stream slots; false when all are taken. Each gzipped stream holds a zlib window,
     * so beyond the limit streams go uncompressed rather than not at all.
     */
    boolean claimCompression() {
        return compressionSlots.tryAcquire();
    }

    void releaseCompression() {
        compressionSlots.release();
    }

    @Override
    public int compressedStreams() {
        return maxCompressed - compressionSlots.availablePermits();
    }

    void release(SseClient c, String reason) {
        if (live.remove(c.id()) != null) {
            // Counted as dropped before it stops counting as connected: whoever sees it gone sees why.
            if (!reason.equals("disconnected") && !reason.equals("shutdown")) {
                dropped.computeIfAbsent(reason, r -> new LongAdder()).increment();
                LOG.info(() -> "SSE client " + c.id() + " (" + c.connection().remote() + ") cut off: " + reason);
            }
            closedCount.increment();
            closedMillis.add(Duration.between(c.connection().connectedAt(), clock.instant()).toMillis());
            count.decrementAndGet();
        }
    }

    private void watch() {
        long limit = clientTimeout.toNanos();
        while (!closed) {
            try {
                Thread.sleep(Math.min(1000, Math.max(50, clientTimeout.toMillis() / 4)));
            } catch (InterruptedException e) {
                return;
            }
            for (SseClient c : live.values()) {
                long blocked = c.blockedNanos();
                // A full queue means it is already behind; give its socket less time to catch up.
                if (blocked > limit || (c.overflowed() && blocked > Math.min(limit, 2_000_000_000L))) {
                    c.abort(c.overflowed() ? "slow" : "stalled");
                }
            }
        }
    }

    /**
     * Queues a stream-local event for the clients the target reaches; a client whose queue is full does not get
     * it (it is already being cut off as slow).
     *
     * @return clients it was queued for
     */
    int send(Notice notice, NoticeTarget target) {
        int n = 0;
        for (SseClient c : live.values()) {
            if (target.reaches(c.connection()) && c.offer(notice)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public int connected() {
        return count.get();
    }

    public int maxClients() {
        return maxClients;
    }

    @Override
    public long eventsSent() {
        return eventsSent.sum();
    }

    @Override
    public long refused() {
        return refused.sum();
    }

    @Override
    public Map<String, Long> dropped() {
        Map<String, Long> out = new TreeMap<>();
        dropped.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /**
     * The statistics of {@code GET /api/sse/clients}; lists at most {@code limit} clients, longest-connected first.
     *
     * @param details include each client's network address and metadata (for operators)
     */
    public String statsJson(int limit, boolean details) {
        return statsJson(limit, details, details, NoticeTarget.EVERYONE, Set.of());
    }

    /**
     * The statistics of the clients a filter picks ({@code ?userId=&sessionId=&clientIds=}); the gateway-wide
     * totals (connections, refused, dropped) stay gateway-wide.
     *
     * @param sessions  include each client's sessionId
     * @param clientIds the clients to show, empty for all
     */
    String statsJson(int limit, boolean details, boolean sessions, NoticeTarget filter, Set<Long> clientIds) {
        Instant now = clock.instant();
        Map<String, Integer> byToken = new TreeMap<>();
        Map<String, Integer> byStream = new TreeMap<>();
        Map<String, Integer> byUser = new TreeMap<>();
        long totalMillis = 0;
        Instant lastEvent = null;
        List<SseClient> picked = live.values().stream()
                .filter(c -> filter.reaches(c.connection()) && (clientIds.isEmpty() || clientIds.contains(c.id())))
                .toList();
        for (SseClient c : picked) {
            byUser.merge(c.connection().audience().userId() == null ? "(none)" : c.connection().audience().userId(),
                    1, Integer::sum);
            byToken.merge(c.connection().tokenName() == null ? "(none)" : c.connection().tokenName(), 1, Integer::sum);
            byStream.merge(c.connection().kind().path(), 1, Integer::sum);
            totalMillis += Duration.between(c.connection().connectedAt(), now).toMillis();
            Instant t = c.lastEventAt();
            if (t != null && (lastEvent == null || t.isAfter(lastEvent))) {
                lastEvent = t;
            }
        }
        int n = picked.size();
        JsonObjectBuilder o = Json.createObjectBuilder()
                .add("connected", n)
                .add("maxClients", maxClients)
                .add("connectionsTotal", connections.sum())
                .add("refused", refused.sum())
                .add("averageConnectionSeconds", n == 0 ? 0.0 : Math.round(totalMillis / (double) n) / 1000.0)
                .add("averageClosedConnectionSeconds",
                        closedCount.sum() == 0 ? 0.0 : Math.round(closedMillis.sum() / (double) closedCount.sum()) / 1000.0)
                .add("eventsSent", eventsSent.sum());
        if (lastEvent == null) {
            o.addNull("lastEventTime");
        } else {
            o.add("lastEventTime", ReadingJson.timestamp(lastEvent));
        }
        JsonObjectBuilder tokens = Json.createObjectBuilder();
        byToken.forEach(tokens::add);
        JsonObjectBuilder streams = Json.createObjectBuilder();
        byStream.forEach(streams::add);
        JsonObjectBuilder drops = Json.createObjectBuilder();
        dropped().forEach(drops::add);
        JsonObjectBuilder users = Json.createObjectBuilder();
        byUser.forEach(users::add);
        o.add("byToken", tokens).add("byUser", users).add("byStream", streams).add("dropped", drops);
        JsonArrayBuilder list = Json.createArrayBuilder();
        picked.stream().sorted(Comparator.comparing((SseClient c) -> c.connection().connectedAt())).limit(limit)
                .forEach(c -> {
            JsonObjectBuilder j = Json.createObjectBuilder()
                    .add("id", c.id())
                    .add("token", c.connection().tokenName() == null ? "(none)" : c.connection().tokenName())
                    .add("stream", c.connection().kind().path())
                    .add("connectedAt", ReadingJson.timestamp(c.connection().connectedAt()))
                    .add("connectedSeconds", Duration.between(c.connection().connectedAt(), now).toSeconds())
                    .add("eventsSent", c.eventsSent())
                    .add("queued", c.queued());
            Audience a = c.connection().audience();
            if (a.userId() != null) {
                j.add("userId", a.userId());
            }
            if (sessions && a.sessionId() != null) {
                j.add("sessionId", a.sessionId());
            }
            if (details) {
                j.add("remote", c.connection().remote());
                JsonObjectBuilder meta = Json.createObjectBuilder();
                a.metadata().forEach(meta::add);
                j.add("metadata", meta);
            }
            if (c.connection().target() != null) {
                j.add("target", c.connection().target());
            }
            Instant t = c.lastEventAt();
            if (t == null) {
                j.addNull("lastEventTime");
            } else {
                j.add("lastEventTime", ReadingJson.timestamp(t));
            }
            list.add(j);
        });
        o.add("clients", list);
        return o.build().toString();
    }

    /** Ends every stream (server shutdown). */
    @Override
    public void close() {
        closed = true;
        watchdog.interrupt();
        for (SseClient c : live.values()) {
            c.abort("shutdown");
        }
        if (!live.isEmpty()) {
            LOG.log(Level.FINE, "closing {0} SSE streams", live.size());
        }
    }
}
