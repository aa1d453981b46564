package io.edgegateway.hub;

import io.edgegateway.reading.Alert;
import io.edgegateway.reading.MeterStatus;
import io.edgegateway.reading.ProfileEntry;
import io.edgegateway.reading.Reading;
import io.edgegateway.reading.ReadingJson;
import io.edgegateway.reading.StatusReport;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Publishes readings and status transitions to subscribers.
 *
 * <p>One lock orders everything: an event gets its id, enters the replay buffer and reaches every subscriber's
 * queue before the next one, and a new subscriber's backlog is taken at the same instant it starts receiving,
 * so nothing is lost or repeated between backlog and live events.
 */
public final class EventHub {

    private static final Logger LOG = Logger.getLogger(EventHub.class.getName());

    private final int replaySize;
    private final EventLog log;
    private final Map<String, MeterState> meters = new LinkedHashMap<>();
    private final ArrayDeque<HubEvent> replay;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final List<PollObserver> observers = new CopyOnWriteArrayList<>();
    /** "observer class + exception class" already logged in full. */
    private final Set<String> observerFaults = ConcurrentHashMap.newKeySet();
    private final LongAdder published = new LongAdder();
    private final LongAdder suppressed = new LongAdder();
    private final LongAdder polls = new LongAdder();
    private long lastId;
    private final long firstId;

    /** Per meter: what subscribers were last told, and what the last poll said. */
    private static final class MeterState {
        final Reading.Reported reported = new Reading.Reported();
        Reading latest;
        /** The documented JSON of {@code latest}, rendered when a snapshot first needs it; snapshots share it. */
        String latestJson;
        StatusReport status;
    }

    /**
     * @param meterNos   every meter the gateway polls (subscriptions to others are refused upstream)
     * @param replaySize events kept for resume
     * @param firstId    id of the first event; a time-based start keeps ids growing across restarts, so a
     *                   client's id from an earlier run reads as a gap, not as the future
     */
    public EventHub(Collection<String> meterNos, int replaySize, long firstId) {
        this(meterNos, replaySize, firstId, EventLog.NONE);
    }

    /** @param log where published events are recorded, for resumes from beyond the replay buffer */
    public EventHub(Collection<String> meterNos, int replaySize, long firstId, EventLog log) {
        if (replaySize < 1) {
            throw new IllegalArgumentException("replay size must be at least 1");
        }
        this.replaySize = replaySize;
        this.log = log;
        this.replay = new ArrayDeque<>(Math.min(replaySize, 4096));
        this.lastId = firstId - 1;
        this.firstId = firstId;
        for (String m : meterNos) {
            MeterState s = new MeterState();
            s.status = new StatusReport(m, MeterStatus.DISCONNECTED, null, "not polled yet");
            meters.put(m, s);
        }
    }

    public Set<String> meterNos() {
        return meters.keySet();
    }

    public boolean knows(String meterNo) {
        return meters.containsKey(meterNo);
    }

    /**
     * Offers a fresh poll. It is published only if some point changed beyond its deadband since it was last
     * reported; it always becomes the meter's latest reading.
     *
     * @return the published event, empty when nothing changed
     */
    public Optional<HubEvent> publishReading(Reading reading) {
        Optional<HubEvent> e = offerReading(reading);
        for (PollObserver o : observers) {
            try {
                o.polled(reading);
            } catch (RuntimeException x) {
                failed(o, x);
            }
        }
        return e;
    }

    /**
     * An observer's fault must not end the bus thread that publishes (nor keep the other observers from seeing the
     * poll): logged in full once per observer and kind of exception, then counted at FINE.
     */
    private void failed(PollObserver o, RuntimeException x) {
        String kind = o.getClass().getName() + " " + x.getClass().getName();
        if (observerFaults.add(kind)) {
            LOG.log(Level.WARNING, "observer " + o.getClass().getSimpleName() + " failed (logged once for "
                    + x.getClass().getSimpleName() + "; the poll is published all the same)", x);
        } else {
            LOG.fine("observer " + o.getClass().getSimpleName() + " failed again: " + x);
        }
    }

    private synchronized Optional<HubEvent> offerReading(Reading reading) {
        MeterState m = state(reading.meterNo());
        polls.increment();
        m.latest = m.latest == null ? reading : m.latest.mergedWith(reading);
        // Kept by the event, so by the replay buffer: a bit per point where the reading has a layout.
        Set<String> changed = reading.changesSince(m.reported);
        // Nothing is rendered here: a subscriber renders an event's JSON once, for all, when it first writes it,
        // and a gateway without subscribers renders none (it had cost a fifth of the CPU at 500 meters).
        m.latestJson = null; // the next snapshot renders the merged values
        if (changed.isEmpty()) {
            suppressed.increment();
            return Optional.empty();
        }
        // The event shows every known point, not just the changed ones: dashboards replace the whole row.
        return Optional.of(publish(HubEvent.Data.owning(lastId + 1, m.latest, changed)));
    }

    /**
     * Records a meter's status; publishes only transitions of the status itself (CONNECTED -> ERROR...), not
     * every lastSeen update.
     *
     * @return the published event, empty when the status did not change
     */
    public Optional<HubEvent> publishStatus(StatusReport report) {
        Optional<HubEvent> e = offerStatus(report);
        for (PollObserver o : observers) {
            try {
                o.reported(report);
            } catch (RuntimeException x) {
                failed(o, x);
            }
        }
        return e;
    }

    private synchronized Optional<HubEvent> offerStatus(StatusReport report) {
        MeterState m = state(report.meterNo());
        StatusReport before = m.status;
        m.status = report;
        if (before.status() == report.status()) {
            return Optional.empty();
        }
        return Optional.of(publish(new HubEvent.Status(lastId + 1, report)));
    }

    /**
     * Publishes rows read from a meter's Profile Generic buffer, in order. The caller has made sure each is new
     * (not stored before); they do not touch the meter's latest reading or on-change state.
     *
     * @return the published events
     */
    public synchronized List<HubEvent> publishEntries(List<ProfileEntry> entries) {
        List<HubEvent> out = new ArrayList<>(entries.size());
        for (ProfileEntry e : entries) {
            state(e.meterNo());
            out.add(publish(new HubEvent.Interval(lastId + 1, e)));
        }
        return out;
    }

    /** Publishes an alert's new state (raised, acknowledged, cleared); alerts are not part of snapshots. */
    public synchronized HubEvent publishAlert(Alert alert) {
        state(alert.meterNo());
        return publish(new HubEvent.AlertState(lastId + 1, alert));
    }

    private HubEvent publish(HubEvent event) {
        lastId = event.id();
        if (replay.size() == replaySize) {
            replay.removeFirst();
        }
        replay.addLast(event);
        log.append(event);
        published.increment();
        for (Subscription s : subscriptions) {
            s.deliver(event);
        }
        return event;
    }

    private MeterState state(String meterNo) {
        MeterState m = meters.get(meterNo);
        if (m == null) {
            throw new IllegalArgumentException("unknown meter " + meterNo);
        }
        return m;
    }

    /**
     * Starts a subscription.
     *
     * @param lastEventId the client's Last-Event-ID, if it is resuming
     */
    public synchronized Attachment subscribe(SubscriptionFilter filter, OptionalLong lastEventId, Subscriber subscriber) {
        List<HubEvent> backlog = new ArrayList<>();
        Attachment.Resume resume;
        Attachment.Logged logged = null;
        if (lastEventId.isPresent() && canReplayFrom(lastEventId.getAsLong())) {
            for (HubEvent e : replay) {
                if (e.id() > lastEventId.getAsLong() && filter.matches(e)) {
                    backlog.add(e);
                }
            }
            resume = Attachment.Resume.RESUMED;
        } else if (lastEventId.isPresent() && canReplayFromLog(lastEventId.getAsLong())) {
            // The log serves what the buffer no longer holds; the buffer, all of it, follows.
            long upTo = replay.isEmpty() ? lastId : replay.peekFirst().id() - 1;
            logged = new Attachment.Logged(log, lastEventId.getAsLong(), upTo);
            for (HubEvent e : replay) {
                if (filter.matches(e)) {
                    backlog.add(e);
                }
            }
            resume = Attachment.Resume.RESUMED;
        } else {
            backlog.addAll(snapshot(filter));
            resume = lastEventId.isPresent() ? Attachment.Resume.GAP : Attachment.Resume.NONE;
        }
        Subscription s = new Subscription(filter, subscriber, lastId);
        subscriptions.add(s);
        long position = resume == Attachment.Resume.RESUMED ? lastEventId.getAsLong() : lastId;
        return new Attachment(s, backlog, resume, position, logged);
    }

    private boolean canReplayFromLog(long id) {
        OptionalLong after = log.replayableAfter();
        return after.isPresent() && id >= after.getAsLong() && id <= lastId;
    }

    /**
     * Takes a meter's last known reading and status from before a restart: new subscribers see them at once, and
     * on-change filtering goes on from what was last published instead of publishing everything again.
     */
    public synchronized void restore(Reading reading) {
        MeterState m = state(reading.meterNo());
        m.latest = reading;
        m.latestJson = null;
        for (Reading.Entry e : reading.values().values()) {
            m.reported.put(e.point().name(), e.value());
        }
    }

    // Ids are contiguous, so every event after `id` is buffered exactly when the oldest buffered one is <= id + 1.
    private boolean canReplayFrom(long id) {
        if (id > lastId) {
            return false;
        }
        if (id == lastId) {
            return true;
        }
        return !replay.isEmpty() && replay.peekFirst().id() <= id + 1;
    }

    /** The current state, as events carrying the current id: resuming from it misses nothing that follows. */
    private List<HubEvent> snapshot(SubscriptionFilter filter) {
        List<HubEvent> out = new ArrayList<>();
        for (var e : meters.entrySet()) {
            if (!filter.meters().isEmpty() && !filter.meters().contains(e.getKey())) {
                continue;
            }
            MeterState m = e.getValue();
            if (filter.statuses()) {
                out.add(new HubEvent.Status(lastId, m.status));
            }
            if (filter.readings() && m.latest != null) {
                HubEvent.Data d = HubEvent.Data.snapshot(lastId, m.latest);
                if (m.latestJson == null) {
                    m.latestJson = ReadingJson.reading(m.latest, Set.of());
                }
                // A thousand clients connecting render the reading once, not a thousand times.
                String json = m.latestJson;
                d.memo(HubEvent.READING_JSON, () -> json);
                out.add(d);
            }
        }
        return out;
    }

    /** Adds an observer of every poll and status report from now on (see {@link PollObserver}). */
    public void observe(PollObserver observer) {
        observers.add(observer);
    }

    public void unsubscribe(Subscription s) {
        subscriptions.remove(s);
    }

    public synchronized Optional<Reading> latest(String meterNo) {
        return Optional.ofNullable(state(meterNo).latest);
    }

    public synchronized StatusReport status(String meterNo) {
        return state(meterNo).status;
    }

    public synchronized long lastId() {
        return lastId;
    }

    /** The id of this run's first event: ids are contiguous from here on, and earlier ones are an earlier run's. */
    public long firstId() {
        return firstId;
    }

    public int subscriberCount() {
        return subscriptions.size();
    }

    public long publishedCount() {
        return published.sum();
    }

    /** Polls offered, published or not. */
    public long pollCount() {
        return polls.sum();
    }

    /** Polls that changed nothing beyond deadbands and so were not sent. */
    public long suppressedCount() {
        return suppressed.sum();
    }
}
