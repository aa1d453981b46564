package io.edgegateway.uplink;

import io.edgegateway.config.UplinkConfig;
import io.edgegateway.alert.AlertWatch;
import io.edgegateway.hub.Attachment;
import io.edgegateway.hub.EventHub;
import io.edgegateway.hub.EventLog;
import io.edgegateway.hub.HubEvent;
import io.edgegateway.hub.SubscriptionFilter;
import io.edgegateway.uplink.mqtt.BrokerLink;
import io.edgegateway.uplink.mqtt.Outbound;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Publishes the hub's events to the broker, from the store after an outage (docs/fleet.md).
 *
 * <p>One virtual thread runs it. Per connection: subscribe to the hub from the persisted cursor; send the births;
 * replay what the broker missed from the store in slices at {@code drain-rate}, with the live events that arrived
 * meanwhile sent between slices; say what is current again (the format's {@code caughtUp}); then live events. The
 * cursor moves only over events the broker acknowledged ({@link AckLedger}) and is saved with the store's next
 * commit. A live queue that overflows (the broker slower than the meters) ends the subscription, and the next one
 * replays the rest from the store.
 */
public final class Uplink implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Uplink.class.getName());

    /** The store's name for this uplink's cursor. */
    static final String CURSOR = "uplink.mqtt";
    /** How many Sparkplug sessions this node began (bdSeq is it modulo 256), so a restart births with the next. */
    static final String SESSIONS = "uplink.sparkplug.sessions";
    private static final SubscriptionFilter ALL = new SubscriptionFilter(Set.of(), Set.of(), true, true);
    private static final int LIVE_QUEUE = 4096;
    /** A drain slice is meant to last this long, so live events wait about this long behind the backlog... */
    private static final long SLICE_MS = 250;
    /** ... and holds at most this many events, so a high drain rate does not read a large slice into memory. */
    private static final int MAX_SLICE = 1000;
    /** One read of the store covers at most this many seconds of drain, so no read holds the file's log open long. */
    private static final int CHUNK_SECONDS = 20;
    private static final long BACKOFF_BASE_MS = 1000;
    private static final long BACKOFF_MAX_MS = 60_000;

    private final UplinkConfig config;
    private final String gatewayId;
    private final EventHub hub;
    private final EventLog log;
    private final Clock clock;
    private final Thread thread;
    private final LongAdder published = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failedPublishes = new LongAdder();
    private final LongAdder connects = new LongAdder();
    private final LongAdder gaps = new LongAdder();
    /** Gaps already counted, by their first id: a drain that crosses one again does not count it twice. */
    private final Set<Long> countedGaps = ConcurrentHashMap.newKeySet();
    /** Wakes the uplink's thread (a lost connection, a rebirth, closing) without a monitor. */
    private final Semaphore wake = new Semaphore(0);

    private volatile boolean closed;
    private volatile UplinkHealth.State state = UplinkHealth.State.CONNECTING;
    private volatile String reason = "connecting";
    private volatile long cursor;
    private volatile AckLedger currentLedger;
    /** Time of the next backlog event to send while draining; 0 when not draining. */
    private volatile long drainHeadMillis;
    private volatile long disconnectedAt;
    private long sessions;
    private final Supplier<List<AlertWatch.Slot>> alerts;
    private volatile long earlierRunsBacklog = -1;
    private volatile long earlierRunsCountedAt = Long.MIN_VALUE;

    private Uplink(UplinkConfig config, String gatewayId, EventHub hub, EventLog log, Clock clock,
                   Supplier<List<AlertWatch.Slot>> alerts) {
        this.config = config;
        this.alerts = alerts;
        this.gatewayId = gatewayId;
        this.hub = hub;
        this.log = log;
        this.clock = clock;
        // The first start with an uplink begins at the newest event; from then on nothing is skipped, even if the
        // broker is not reached for days (a wrong password, a firewall): it all waits in the store.
        this.cursor = log.cursor(CURSOR).orElseGet(hub::lastId);
        log.saveCursor(CURSOR, cursor);
        this.sessions = log.cursor(SESSIONS).orElse(0);
        this.disconnectedAt = clock.millis();
        this.thread = Thread.ofVirtual().name("uplink").unstarted(this::run);
    }

    /** An uplink that has not started; {@link #start} starts it. */
    public static Uplink of(UplinkConfig config, String gatewayId, EventHub hub, EventLog log, Clock clock) {
        return new Uplink(config, gatewayId, hub, log, clock, List::of);
    }

    /** @param alerts every (meter, alert rule) pair and its open alert, for the Sparkplug node's birth */
    public static Uplink of(UplinkConfig config, String gatewayId, EventHub hub, EventLog log, Clock clock,
                            Supplier<List<AlertWatch.Slot>> alerts) {
        return new Uplink(config, gatewayId, hub, log, clock, alerts);
    }

    /** Starts publishing; returns at once (the first connection is made in the background). */
    public void start() {
        thread.start();
    }

    /** Why a connection's work ended: lost, a publish failed or was refused, or closing. */
    private static final class SessionOver extends Exception {
        final boolean refused;

        SessionOver(String why, boolean refused) {
            super(why, null, false, false);
            this.refused = refused;
        }
    }

    /**
     * One MQTT connection's state. The client's callbacks write only to the connection they belong to, so a late
     * failure of an old connection cannot end a new one, and its permits die with it.
     */
    private final class Connection {
        final Semaphore inflight = new Semaphore(config.maxInflight());
        volatile String end;
        volatile boolean endRefused;
        volatile boolean rebirth;

        void end(String why, boolean refused) {
            if (end == null) {
                endRefused = refused;
                end = why;
                wake.release();
            }
        }
    }

    private void run() {
        long backoff = BACKOFF_BASE_MS;
        while (!closed) {
            Connection c = new Connection();
            Wire wire = newWire();
            BrokerLink link = null;
            long cursorBefore = cursor;
            try {
                link = new BrokerLink(config, why -> c.end(why, false));
                link.connect(wire.will());
                connects.increment();
                if (wire instanceof SparkplugNode) {
                    sessions++;
                    log.saveCursor(SESSIONS, sessions);
                }
                if (wire.commands().isPresent()) {
                    link.subscribe(wire.commands().get(), (topic, payload) -> {
                        if (wire.asksForRebirth(topic, payload)) {
                            c.rebirth = true;
                            wake.release();
                        }
                    });
                }
                setState(UplinkHealth.State.CONNECTED, null);
                serve(link, wire, c);
            } catch (BrokerLink.BrokerException e) {
                setState(e.refused() ? UplinkHealth.State.ERROR : UplinkHealth.State.DISCONNECTED, e.getMessage());
            } catch (SessionOver e) {
                if (!closed) {
                    setState(e.refused ? UplinkHealth.State.ERROR : UplinkHealth.State.DISCONNECTED, e.getMessage());
                }
            } catch (InterruptedException e) {
                if (!closed) {
                    setState(UplinkHealth.State.DISCONNECTED, "interrupted");
                }
            } catch (RuntimeException e) {
                setState(UplinkHealth.State.DISCONNECTED, "unexpected: " + e);
                LOG.log(Level.WARNING, "uplink: unexpected error; reconnecting", e);
            } finally {
                disconnectedAt = clock.millis();
                drainHeadMillis = 0;
                if (link != null) {
                    if (closed && link.connected()) {
                        goodbye(link, wire);
                    }
                    link.close();
                }
            }
            if (closed) {
                return;
            }
            // Back to a short wait only after a connection that got something through: a broker that accepts the
            // connection and refuses every message is not hammered once a second.
            backoff = cursor > cursorBefore ? BACKOFF_BASE_MS : backoff;
            try {
                wake.drainPermits();
                if (wake.tryAcquire(backoff, TimeUnit.MILLISECONDS) && closed) {
                    return;
                }
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
            }
            backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
        }
    }

    private Wire newWire() {
        return switch (config.format()) {
            case JSON -> new JsonTopics(config.topicPrefix(), gatewayId, config.qos(), clock);
            case SPARKPLUG_B -> new SparkplugNode(config.groupId(), gatewayId, (int) ((sessions + 1) % 256),
                    config.qos(), clock, alerts);
        };
    }

    /** A stopping gateway says it is offline itself: a clean disconnect makes the broker drop the will. */
    private void goodbye(BrokerLink link, Wire wire) {
        try {
            link.publish(wire.will()).get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.fine("uplink: could not say goodbye: " + e);
        }
    }

    /** One connection's work, until it is lost or the uplink closes. */
    private void serve(BrokerLink link, Wire wire, Connection c) throws SessionOver, InterruptedException {
        boolean born = false;
        while (true) {
            ArrayBlockingQueue<HubEvent> live = new ArrayBlockingQueue<>(LIVE_QUEUE);
            long from = cursor;
            Attachment a = hub.subscribe(ALL, OptionalLong.of(from), live::offer);
            try {
                AckLedger ledger;
                if (a.resume() == Attachment.Resume.GAP) {
                    gaps.increment();
                    LOG.warning("uplink: the events after " + from + " up to " + a.position() + " are neither in the"
                            + " store nor in memory (older than the store keeps, or no store) and were never sent;"
                            + " going on from now");
                    ledger = new AckLedger(a.position());
                    moveCursor(a.position());
                } else {
                    ledger = new AckLedger(from);
                }
                currentLedger = ledger;
                Session s = new Session(link, wire, c, ledger, live);
                if (!born) {
                    s.sendAll(wire.births(hub));
                    born = true;
                }
                if (a.resume() == Attachment.Resume.RESUMED && (a.logged() != null || !a.backlog().isEmpty())) {
                    if (a.logged() != null) {
                        s.drainLog(a.logged());
                    }
                    s.drainList(a.backlog());
                    s.sendAll(wire.caughtUp(hub));
                }
                moveCursor(ledger.backlogDone());
                drainHeadMillis = 0;
                s.liveUntilOver(a);
            } catch (Resubscribe r) {
                LOG.info("uplink: " + r.getMessage() + "; going on from the store");
            } finally {
                hub.unsubscribe(a.subscription());
            }
        }
    }

    /** Subscribe again from the cursor: the live queue overflowed, or the store was behind. */
    private static final class Resubscribe extends Exception {
        Resubscribe(String why) {
            super(why, null, false, false);
        }
    }

    /** Carries what stops a drain out through the store's replay, which only lets IOExceptions pass. */
    private static final class DrainStopped extends IOException {
        DrainStopped(Exception cause) {
            super(cause);
        }
    }

    /** Publishing within one subscription of one connection. */
    private final class Session {
        private final BrokerLink link;
        private final Wire wire;
        private final Connection c;
        private final AckLedger ledger;
        private final ArrayBlockingQueue<HubEvent> live;
        private final int slice = Math.clamp(config.drainRate() * SLICE_MS / 1000, 1, MAX_SLICE);
        private final long sliceNanos = TimeUnit.SECONDS.toNanos(slice) / config.drainRate();
        private final List<HubEvent> part = new ArrayList<>();
        private long sliceStart = System.nanoTime();

        Session(BrokerLink link, Wire wire, Connection c, AckLedger ledger, ArrayBlockingQueue<HubEvent> live) {
            this.link = link;
            this.wire = wire;
            this.c = c;
            this.ledger = ledger;
            this.live = live;
        }

        /**
         * The store's part of the backlog, in reads of at most {@value #CHUNK_SECONDS} s of drain each (a read holds
         * the file's write-ahead log from being reset). Only what the store has committed counts as read: events
         * still queued for the disk are replayed by the next subscription, not skipped.
         */
        void drainLog(Attachment.Logged logged) throws SessionOver, InterruptedException, Resubscribe {
            int chunk = config.drainRate() * CHUNK_SECONDS;
            long pos = logged.afterId();
            long[] lastGapTo = {Long.MIN_VALUE};
            while (pos < logged.upToId()) {
                long end = logged.log().nthAfter(pos, logged.upToId(), chunk);
                try {
                    logged.log().replay(pos, end, ALL, new EventLog.Replay() {
                        @Override
                        public void event(HubEvent event) throws IOException {
                            add(event);
                        }

                        @Override
                        public void gap(long fromId, long toId, String why) {
                            // A gap that runs on from the previous read is the same gap.
                            if (fromId != lastGapTo[0] + 1 && countedGaps.add(fromId)) {
                                gaps.increment();
                                LOG.warning("uplink: events " + fromId + " to " + toId + " were never stored (" + why
                                        + "); the broker will not get them");
                            }
                            lastGapTo[0] = toId;
                        }
                    });
                } catch (DrainStopped d) {
                    switch (d.getCause()) {
                        case SessionOver so -> throw so;
                        case Resubscribe r -> throw r;
                        case InterruptedException ie -> throw ie;
                        default -> throw new IllegalStateException(d.getCause());
                    }
                } catch (IOException e) {
                    throw new SessionOver("cannot read the store: " + e.getMessage(), false);
                }
                long durable = Math.min(end, logged.log().durableUpTo());
                sendPart(durable);
                if (durable < end) {
                    Thread.sleep(1000);
                    throw new Resubscribe("the store has not yet written events up to " + end);
                }
                pos = end;
            }
        }

        void drainList(List<HubEvent> backlog) throws SessionOver, InterruptedException, Resubscribe {
            for (HubEvent e : backlog) {
                addOrThrow(e);
            }
            if (!backlog.isEmpty()) {
                sendPart(backlog.getLast().id());
            }
        }

        private void add(HubEvent e) throws DrainStopped {
            try {
                addOrThrow(e);
            } catch (SessionOver | Resubscribe | InterruptedException x) {
                throw new DrainStopped(x);
            }
        }

        private void addOrThrow(HubEvent e) throws SessionOver, InterruptedException, Resubscribe {
            part.add(e);
            if (part.size() == slice) {
                sendPart(e.id());
            }
        }

        /** Sends the slice gathered so far; the backlog counts as done up to {@code upTo}. */
        private void sendPart(long upTo) throws SessionOver, InterruptedException, Resubscribe {
            if (part.isEmpty()) {
                moveCursor(ledger.backlogUpTo(upTo)); // ids with nothing to send: no slice to pace
                return;
            }
            for (HubEvent e : part) {
                drainHeadMillis = eventMillis(e);
                sendEvent(e, true);
            }
            part.clear();
            moveCursor(ledger.backlogUpTo(upTo));
            // Between slices: live events go out, then the drain waits out the rest of its slice.
            sendLive();
            long rest = sliceNanos - (System.nanoTime() - sliceStart);
            if (rest > 0) {
                wake.tryAcquire(rest, TimeUnit.NANOSECONDS); // woken early: a lost connection, a rebirth, closing
            }
            ended();
            boundary();
            sliceStart = System.nanoTime();
        }

        private void sendLive() throws SessionOver, InterruptedException, Resubscribe {
            HubEvent e;
            while ((e = live.poll()) != null) {
                sendEvent(e, false);
                moveCursor(ledger.live(e.id()));
            }
        }

        void liveUntilOver(Attachment a) throws SessionOver, InterruptedException, Resubscribe {
            while (true) {
                if (closed) {
                    // A clean stop sends what the meters last read (polling has stopped by now) before going.
                    sendLive();
                    if (c.inflight.tryAcquire(config.maxInflight(), 2, TimeUnit.SECONDS)) {
                        c.inflight.release(config.maxInflight());
                    }
                    throw new SessionOver("closing", false);
                }
                ended();
                boundary();
                if (a.subscription().overflowed() && live.isEmpty()) {
                    throw new Resubscribe("fell behind the meters by " + LIVE_QUEUE + " events");
                }
                HubEvent e = live.poll(500, TimeUnit.MILLISECONDS);
                if (e != null) {
                    sendEvent(e, false);
                    moveCursor(ledger.live(e.id()));
                    sendLive();
                }
            }
        }

        /** Ends the session if its connection is over or the uplink closes. */
        private void ended() throws SessionOver {
            if (closed) {
                throw new SessionOver("closing", false);
            }
            if (c.end != null) {
                throw new SessionOver(c.end, c.endRefused);
            }
        }

        /** Between messages of different events only: a rebirth, if a host asked for one. */
        private void boundary() throws SessionOver, InterruptedException {
            if (c.rebirth) {
                c.rebirth = false;
                LOG.info("uplink: rebirth requested (NCMD " + SparkplugNode.REBIRTH + ")");
                sendAll(wire.births(hub));
            }
        }

        void sendAll(List<Outbound> messages) throws SessionOver, InterruptedException {
            for (Outbound m : messages) {
                send(m, -1, 0);
            }
        }

        private void sendEvent(HubEvent e, boolean historical) throws SessionOver, InterruptedException {
            for (Outbound m : wire.event(e, historical)) {
                send(m, e.id(), eventMillis(e));
            }
        }

        /** Publishes; {@code id} is the event it carries, -1 for births and the like (not tracked). */
        private void send(Outbound m, long id, long eventMillis) throws SessionOver, InterruptedException {
            while (!c.inflight.tryAcquire(500, TimeUnit.MILLISECONDS)) {
                ended();
            }
            if (id >= 0) {
                ledger.published(id, eventMillis);
            }
            published.increment();
            try {
                link.publish(m).whenComplete((ok, err) -> {
                    c.inflight.release();
                    if (err != null) {
                        failedPublishes.increment();
                        boolean refused = err instanceof BrokerLink.RefusedException
                                || err.getCause() instanceof BrokerLink.RefusedException;
                        String why = err.getCause() != null ? err.getCause().getMessage() : err.getMessage();
                        c.end(refused ? why : "publish failed: " + why, refused);
                        return;
                    }
                    acknowledged.increment();
                    if (id >= 0) {
                        moveCursor(ledger.acked(id));
                    }
                });
            } catch (RuntimeException e) { // the client refused the message before sending it
                c.inflight.release();
                failedPublishes.increment();
                throw new SessionOver("cannot publish to " + m.topic() + ": " + e.getMessage(), true);
            }
        }
    }

    private static long eventMillis(HubEvent e) {
        return switch (e) {
            case HubEvent.Data d -> d.reading().timestamp().toEpochMilli();
            case HubEvent.Status s -> s.report().lastSeen() != null ? s.report().lastSeen().toEpochMilli() : 0;
            // A row's capture time may be a week old after a backfill: it says nothing about the uplink's delay.
            case HubEvent.Interval i -> 0;
            case HubEvent.AlertState a -> a.alert().timestamp().toEpochMilli();
        };
    }

    // The uplink's thread and the MQTT client's callbacks both move it: forward only.
    private synchronized void moveCursor(long to) {
        if (to > cursor) {
            cursor = to;
            log.saveCursor(CURSOR, to);
        }
    }

    private void setState(UplinkHealth.State s, String why) {
        UplinkHealth.State before = state;
        String beforeReason = reason;
        state = s;
        reason = why;
        if (before != s || !Objects.equals(beforeReason, why)) {
            String line = "uplink " + config.url() + ": " + s + (why == null ? "" : " (" + why + ")");
            if (s == UplinkHealth.State.CONNECTED) {
                LOG.info(line);
            } else {
                LOG.warning(line);
            }
        }
    }

    public UplinkHealth health() {
        long last = hub.lastId();
        long c = cursor;
        long backlog = Math.max(0, last - Math.max(c, hub.firstId() - 1)) + earlierRuns(c);
        double age = 0;
        if (backlog > 0) {
            long now = clock.millis();
            long since;
            if (state != UplinkHealth.State.CONNECTED) {
                since = disconnectedAt;
            } else {
                since = now;
                long head = drainHeadMillis;
                if (head != 0) {
                    since = Math.min(since, head);
                }
                AckLedger l = currentLedger;
                if (l != null) {
                    OptionalLong oldest = l.oldestUnacked();
                    if (oldest.isPresent() && oldest.getAsLong() > 0) {
                        since = Math.min(since, oldest.getAsLong());
                    }
                }
            }
            age = Math.max(0, now - since) / 1000.0;
        }
        return new UplinkHealth(state, reason, config.url(), config.format().configName(), connects.sum(),
                published.sum(), acknowledged.sum(), failedPublishes.sum(), backlog, age, c, gaps.sum());
    }

    /**
     * Events of earlier runs still to send, counted in the store (ids are contiguous within a run only); counted
     * again at most every 5 s, since it only shrinks.
     */
    private long earlierRuns(long c) {
        long runStart = hub.firstId();
        if (c >= runStart - 1) {
            return 0;
        }
        long now = System.nanoTime();
        if (earlierRunsBacklog < 0 || now - earlierRunsCountedAt > TimeUnit.SECONDS.toNanos(5)) {
            earlierRunsBacklog = log.count(c, runStart - 1);
            earlierRunsCountedAt = now;
        }
        return earlierRunsBacklog;
    }

    /**
     * Sends what is queued (up to 2 s for the broker's acknowledgements), says offline, disconnects cleanly and
     * stops; call it after polling has stopped. The cursor is saved with the store's last commit.
     */
    @Override
    public void close() {
        closed = true;
        wake.release(2);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
            if (thread.isAlive()) {
                thread.interrupt(); // a connection attempt or a drain in the middle of a slice
                thread.join(TimeUnit.SECONDS.toMillis(3));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
