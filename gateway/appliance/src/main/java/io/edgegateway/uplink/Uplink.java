package io.edgegateway.uplink;

import io.edgegateway.config.UplinkConfig;
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
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Publishes the hub's events to the broker, from the store after an outage (docs/fleet.md).
 *
 * <p>One virtual thread runs it. Per connection: subscribe to the hub from the persisted cursor; send the births;
 * replay what the broker missed from the store in slices of a quarter second at {@code drain-rate}, with the live
 * events that arrived meanwhile sent between slices; then live events. The cursor moves only over events the broker
 * acknowledged ({@link AckLedger}) and is saved with the store's next commit. A live queue that overflows (the
 * broker slower than the meters) ends the subscription, and the next one replays the rest from the store.
 */
public final class Uplink implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Uplink.class.getName());

    /** The store's name for this uplink's cursor. */
    static final String CURSOR = "uplink.mqtt";
    /** The last Sparkplug bdSeq used, so a restarted node births with the next one. */
    static final String BD_SEQ = "uplink.sparkplug.bdSeq";
    private static final SubscriptionFilter ALL = new SubscriptionFilter(Set.of(), Set.of(), true, true);
    private static final int LIVE_QUEUE = 4096;
    /** A drain slice lasts at most this long, so live events wait at most this long behind the backlog. */
    private static final long SLICE_MS = 250;
    /** ... and holds at most this many events, so a high drain rate does not read a large slice into memory. */
    private static final int MAX_SLICE = 1000;
    private static final long BACKOFF_BASE_MS = 1000;
    private static final long BACKOFF_MAX_MS = 60_000;

    private final UplinkConfig config;
    private final String gatewayId;
    private final EventHub hub;
    private final EventLog log;
    private final Clock clock;
    private final Semaphore inflight;
    private final Thread thread;
    private final LongAdder published = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failedPublishes = new LongAdder();
    private final LongAdder connects = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private final Object wake = new Object();

    private volatile boolean closed;
    private volatile UplinkHealth.State state = UplinkHealth.State.CONNECTING;
    private volatile String reason = "connecting";
    private volatile long cursor;
    private volatile long unsentSince;
    private volatile long disconnectedAt;
    private volatile boolean rebirth;
    private volatile String sessionEnd;

    private Uplink(UplinkConfig config, String gatewayId, EventHub hub, EventLog log, Clock clock) {
        this.config = config;
        this.gatewayId = gatewayId;
        this.hub = hub;
        this.log = log;
        this.clock = clock;
        this.inflight = new Semaphore(config.maxInflight());
        // The first start with an uplink begins at the newest event; from then on nothing is skipped, even if the
        // broker is not reached for days (a wrong password, a firewall): it all waits in the store.
        this.cursor = log.cursor(CURSOR).orElseGet(hub::lastId);
        log.saveCursor(CURSOR, cursor);
        this.disconnectedAt = clock.millis();
        this.thread = Thread.ofVirtual().name("uplink").unstarted(this::run);
    }

    /** An uplink that has not started; {@link #start} starts it. */
    public static Uplink of(UplinkConfig config, String gatewayId, EventHub hub, EventLog log, Clock clock) {
        return new Uplink(config, gatewayId, hub, log, clock);
    }

    /** Starts publishing; returns at once (the first connection is made in the background). */
    public void start() {
        thread.start();
    }

    /** Thrown inside a session when it must end: connection lost, a publish failed, or closing. */
    private static final class SessionOver extends Exception {
        SessionOver(String why) {
            super(why, null, false, false);
        }
    }

    private void run() {
        long backoff = BACKOFF_BASE_MS;
        while (!closed) {
            Wire wire = newWire();
            sessionEnd = null;
            BrokerLink link = null;
            try {
                link = new BrokerLink(config, why -> {
                    sessionEnd = why;
                    wakeUp();
                });
                link.connect(wire.will());
                connects.increment();
                if (wire instanceof SparkplugNode n) {
                    log.saveCursor(BD_SEQ, n.bdSeq());
                }
                BrokerLink l = link;
                if (wire.commands().isPresent()) {
                    link.subscribe(wire.commands().get(), (topic, payload) -> {
                        if (wire.asksForRebirth(topic, payload)) {
                            rebirth = true;
                            wakeUp();
                        }
                    });
                }
                setState(UplinkHealth.State.CONNECTED, null);
                backoff = BACKOFF_BASE_MS;
                serve(l, wire);
            } catch (BrokerLink.BrokerException e) {
                setState(e.refused() ? UplinkHealth.State.ERROR : UplinkHealth.State.DISCONNECTED, e.getMessage());
            } catch (SessionOver e) {
                if (!closed) {
                    setState(UplinkHealth.State.DISCONNECTED, e.getMessage());
                }
            } catch (InterruptedException e) {
                if (!closed) {
                    Thread.currentThread().interrupt();
                }
            } catch (RuntimeException e) {
                setState(UplinkHealth.State.DISCONNECTED, "unexpected: " + e);
                LOG.log(java.util.logging.Level.WARNING, "uplink: unexpected error; reconnecting", e);
            } finally {
                disconnectedAt = clock.millis();
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
            synchronized (wake) {
                try {
                    if (!closed) {
                        wake.wait(backoff);
                    }
                } catch (InterruptedException e) {
                    if (closed) {
                        return;
                    }
                }
            }
            backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
        }
    }

    private Wire newWire() {
        return switch (config.format()) {
            case JSON -> new JsonTopics(config.topicPrefix(), gatewayId, config.qos(), clock);
            case SPARKPLUG_B -> new SparkplugNode(config.groupId(), gatewayId,
                    (int) ((log.cursor(BD_SEQ).orElse(-1) + 1) % 256), config.qos(), clock);
        };
    }

    /** A stopping gateway says it is offline itself: a clean disconnect makes the broker drop the will. */
    private void goodbye(BrokerLink link, Wire wire) {
        try {
            link.publish(wire.will()).get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.fine("uplink: could not say goodbye: " + e);
        }
    }

    /** One connection's work, until it is lost or the uplink closes. */
    private void serve(BrokerLink link, Wire wire) throws SessionOver, InterruptedException {
        boolean born = false;
        while (true) {
            ArrayBlockingQueue<HubEvent> live = new ArrayBlockingQueue<>(LIVE_QUEUE);
            long from = cursor;
            Attachment a = hub.subscribe(ALL, OptionalLong.of(from), live::offer);
            try {
                AckLedger ledger;
                if (a.resume() == Attachment.Resume.GAP) {
                    // Ids are not dense across runs (each starts from the clock), so how many is not known here.
                    LOG.warning("uplink: events " + (from + 1) + " to " + a.position() + " are no longer in the store"
                            + " (older than it keeps) and were never sent; going on from now");
                    ledger = new AckLedger(a.position());
                    moveCursor(a.position());
                } else {
                    ledger = new AckLedger(from);
                }
                Session s = new Session(link, wire, ledger, live);
                if (!born) {
                    s.sendAll(wire.births(hub), false);
                    born = true;
                }
                if (a.resume() == Attachment.Resume.RESUMED) {
                    if (a.logged() != null) {
                        s.drainLog(a.logged());
                    }
                    s.drainList(a.backlog());
                }
                moveCursor(ledger.backlogDone());
                s.liveUntilOver(a);
            } catch (Resubscribe r) {
                // the live queue overflowed: the store has what it dropped
                LOG.info("uplink: fell behind the meters by " + LIVE_QUEUE + " events; replaying from the store");
            } finally {
                hub.unsubscribe(a.subscription());
            }
        }
    }

    /** Carries what ends a drain out through the store's replay, which only lets IOExceptions pass. */
    private static final class Interrupted extends IOException {
        Interrupted(Exception cause) {
            super(cause);
        }
    }

    /** The live queue overflowed: subscribe again from the cursor. */
    private static final class Resubscribe extends Exception {
        Resubscribe() {
            super(null, null, false, false);
        }
    }

    /** Publishing within one connection. */
    private final class Session {
        private final BrokerLink link;
        private final Wire wire;
        private final AckLedger ledger;
        private final ArrayBlockingQueue<HubEvent> live;
        private final int slice = (int) Math.clamp(config.drainRate() * SLICE_MS / 1000, 1, MAX_SLICE);
        private final long sliceNanos = TimeUnit.SECONDS.toNanos(slice) / config.drainRate();

        Session(BrokerLink link, Wire wire, AckLedger ledger, ArrayBlockingQueue<HubEvent> live) {
            this.link = link;
            this.wire = wire;
            this.ledger = ledger;
            this.live = live;
        }

        /**
         * The store's part of the backlog, in one pass over the file: slices are cut as rows come, so each meter's
         * reading is rebuilt once for the whole drain, not once per slice.
         */
        void drainLog(Attachment.Logged logged) throws SessionOver, InterruptedException, Resubscribe {
            List<HubEvent> part = new ArrayList<>(slice);
            long[] sliceStart = {System.nanoTime()};
            try {
                logged.log().replay(logged.afterId(), logged.upToId(), ALL, new EventLog.Replay() {
                    @Override
                    public void event(HubEvent event) throws IOException {
                        part.add(event);
                        if (part.size() == slice) {
                            sendSlice(part, part.getLast().id(), sliceStart);
                        }
                    }

                    @Override
                    public void gap(long fromId, long toId, String why) {
                        lost.add(toId - fromId + 1);
                        LOG.warning("uplink: events " + fromId + " to " + toId + " were never stored (" + why
                                + "); the broker will not get them");
                    }
                });
                sendSlice(part, logged.upToId(), sliceStart);
            } catch (Interrupted i) {
                switch (i.getCause()) {
                    case SessionOver so -> throw so;
                    case Resubscribe r -> throw r;
                    case InterruptedException ie -> throw ie;
                    default -> throw new IllegalStateException(i.getCause());
                }
            } catch (IOException e) {
                throw new SessionOver("cannot read the store: " + e.getMessage());
            }
        }

        /** Sends a slice read from the store; what stops the drain leaves the store's read as an {@link Interrupted}. */
        private void sendSlice(List<HubEvent> part, long upTo, long[] sliceStart) throws Interrupted {
            try {
                for (HubEvent e : part) {
                    sendEvent(e, true);
                }
                part.clear();
                moveCursor(ledger.backlogUpTo(upTo));
                between(sliceStart[0]);
                sliceStart[0] = System.nanoTime();
            } catch (SessionOver | Resubscribe | InterruptedException e) {
                throw new Interrupted(e);
            }
        }

        void drainList(List<HubEvent> backlog) throws SessionOver, InterruptedException, Resubscribe {
            for (int i = 0; i < backlog.size(); i += slice) {
                long sliceStart = System.nanoTime();
                List<HubEvent> part = backlog.subList(i, Math.min(backlog.size(), i + slice));
                for (HubEvent e : part) {
                    sendEvent(e, true);
                }
                moveCursor(ledger.backlogUpTo(part.getLast().id()));
                between(sliceStart);
            }
        }

        /** Between drain slices: live events go out, then the drain waits out the rest of its slice. */
        private void between(long sliceStart) throws SessionOver, InterruptedException, Resubscribe {
            sendLive();
            long rest = sliceNanos - (System.nanoTime() - sliceStart);
            if (rest > 0) {
                synchronized (wake) {
                    TimeUnit.NANOSECONDS.timedWait(wake, rest);
                }
            }
            check();
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
                    if (inflight.tryAcquire(config.maxInflight(), 3, TimeUnit.SECONDS)) {
                        inflight.release(config.maxInflight());
                    }
                    throw new SessionOver("closing");
                }
                check();
                if (a.subscription().overflowed() && live.isEmpty()) {
                    throw new Resubscribe();
                }
                HubEvent e = live.poll(500, TimeUnit.MILLISECONDS);
                if (e != null) {
                    sendEvent(e, false);
                    moveCursor(ledger.live(e.id()));
                    sendLive();
                }
            }
        }

        private void check() throws SessionOver, InterruptedException {
            if (closed) {
                throw new SessionOver("closing");
            }
            String end = sessionEnd;
            if (end != null) {
                throw new SessionOver(end);
            }
            if (rebirth) {
                rebirth = false;
                LOG.info("uplink: rebirth requested (NCMD " + SparkplugNode.REBIRTH + ")");
                sendAll(wire.births(hub), false);
            }
        }

        void sendAll(List<Outbound> messages, boolean track) throws SessionOver, InterruptedException {
            for (Outbound m : messages) {
                send(m, track);
            }
        }

        private void sendEvent(HubEvent e, boolean historical) throws SessionOver, InterruptedException {
            if (unsentSince == 0) {
                unsentSince = e instanceof HubEvent.Data d ? d.reading().timestamp().toEpochMilli() : clock.millis();
            }
            List<Outbound> out = wire.event(e, historical);
            for (Outbound m : out) {
                send(m, true);
            }
        }

        private void send(Outbound m, boolean track) throws SessionOver, InterruptedException {
            while (!inflight.tryAcquire(500, TimeUnit.MILLISECONDS)) {
                check();
            }
            long id = m.eventId().orElse(-1);
            if (track && id >= 0) {
                ledger.published(id);
            }
            published.increment();
            link.publish(m).whenComplete((ok, err) -> {
                inflight.release();
                if (err != null) {
                    failedPublishes.increment();
                    if (sessionEnd == null) {
                        sessionEnd = "publish failed: " + (err.getCause() != null ? err.getCause().getMessage()
                                : err.getMessage());
                        wakeUp();
                    }
                    return;
                }
                acknowledged.increment();
                if (track && id >= 0) {
                    moveCursor(ledger.acked(id));
                }
            });
        }
    }

    private void moveCursor(long to) {
        if (to > cursor) {
            cursor = to;
            log.saveCursor(CURSOR, to);
            if (to >= hub.lastId()) {
                unsentSince = 0;
            }
        }
    }

    private void wakeUp() {
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void setState(UplinkHealth.State s, String why) {
        UplinkHealth.State before = state;
        String beforeReason = reason;
        state = s;
        reason = why;
        if (before != s || !java.util.Objects.equals(beforeReason, why)) {
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
        // Ids run contiguously within a run only: what is left of earlier runs is counted in the store.
        long runStart = hub.firstId();
        long backlog = c >= runStart - 1 ? Math.max(0, last - c)
                : log.count(c, runStart - 1) + Math.max(0, last - runStart + 1);
        double age = 0;
        if (backlog > 0) {
            long since = unsentSince != 0 ? unsentSince : disconnectedAt;
            age = Math.max(0, clock.millis() - since) / 1000.0;
        }
        return new UplinkHealth(state, reason, config.url(), config.format().configName(), connects.sum(),
                published.sum(), acknowledged.sum(), failedPublishes.sum(), backlog, age, c, lost.sum());
    }

    /**
     * Sends what is queued (up to 3 s for the broker's acknowledgements), says offline, disconnects cleanly and
     * stops; call it after polling has stopped. The cursor is saved with the store's last commit.
     */
    @Override
    public void close() {
        closed = true;
        wakeUp();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
            if (thread.isAlive()) {
                thread.interrupt(); // a connection attempt or a drain in the middle of a slice
                thread.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
