package io.edgegateway.alert;

import io.edgegateway.hub.EventHub;
import io.edgegateway.hub.PollObserver;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.profile.ConfigException;
import io.edgegateway.profile.ConfigNode;
import io.edgegateway.reading.Alert;
import io.edgegateway.reading.MeterStatus;
import io.edgegateway.reading.Reading;
import io.edgegateway.reading.StatusReport;
import jakarta.json.Json;
import jakarta.json.JsonValue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches every poll and status report against the alert rules, per (rule, meter): raises an alert once when its
 * condition has held for the rule's {@code for}, and clears it once when the condition's end (beyond the
 * hysteresis) has held as long; a status rule clears as soon as the meter leaves the status. Each state is
 * published through the hub, so it streams, is stored and goes over the uplink like any event.
 *
 * <p>{@code for} runs on the clock, not on polls: one virtual thread sleeps until the earliest pending deadline
 * (a meter that stays DISCONNECTED for 5 minutes sends nothing more to wake it). A pending raise or clear of a
 * point rule is dropped when its meter stops answering: a value nobody read cannot be said to have held.
 *
 * <p>One lock orders everything here, and the hub's lock is only ever taken inside it, never the other way round
 * (the hub calls {@link #polled} after releasing its own).
 */
public final class AlertWatch implements PollObserver, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AlertWatch.class.getName());
    /** Occurrences kept in memory for {@code GET /api/alerts} when there is no store. */
    private static final int RECENT = 500;

    /**
     * Where a rule comes from: config rules cannot be replaced or deleted at run time. A stored run-time rule that
     * does not apply (a config rule has its id, or it no longer parses after a restart) is listed, and may be
     * deleted, so it does not come back unseen when the config changes.
     */
    public enum Origin {
        CONFIG, RUNTIME, STORED_INACTIVE;

        /** As {@code "origin"} shows it: config, runtime, stored-inactive. */
        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * A rule with its origin, as {@code GET /api/alerts/rules} lists it.
     *
     * @param json the rule's JSON (for a stored-inactive rule, as stored)
     * @param why  why a stored-inactive rule does not apply; null for the others
     */
    public record Listed(String id, String json, Origin origin, String why) {
        public static Listed of(AlertRule rule, Origin origin) {
            return new Listed(rule.id(), rule.json(), origin, null);
        }
    }

    /** A stored run-time rule that does not apply, and why. */
    private record Inactive(String json, String why) {
    }

    /** A (meter, rule) pair and its open alert, if any: what the Sparkplug node births. */
    public record Slot(String meterNo, String ruleId, Alert.Severity severity, Optional<Alert> current) {
    }

    /** The answer to an acknowledgement. */
    public sealed interface Ack {
        record Done(Alert alert) implements Ack {
        }

        record Unknown() implements Ack {
        }

        record AlreadyCleared(Occurrence occurrence) implements Ack {
        }

        record AlreadyAcknowledged(Alert alert) implements Ack {
        }
    }

    /** The answer to a change of run-time rules. */
    public sealed interface Change {
        record Created(AlertRule rule) implements Change {
        }

        record Replaced(AlertRule rule) implements Change {
        }

        record Deleted(String id) implements Change {
        }

        record Unknown(String id) implements Change {
        }

        /** A config rule has this id: the config wins, and only an edit of the file changes it. */
        record ConfigRule(String id) implements Change {
        }
    }

    private record Due(Instant at, Binding binding) {
    }

    private static final class Binding {
        final AlertRule rule;
        final String meterNo;
        /** The watched point, null for a status rule. */
        final Point point;
        /** When the pending raise (or clear) began; null when none is pending. */
        Instant since;
        JsonValue pendingValue;
        /** The open alert's latest state; null when none is open. */
        Alert current;
        /** The deadline this binding is queued for in {@code due}; earlier entries of it there are stale. */
        Instant queued;

        Binding(AlertRule rule, String meterNo, Point point) {
            this.rule = rule;
            this.meterNo = meterNo;
            this.point = point;
        }

        Instant deadline() {
            return since == null ? null : since.plus(rule.hold());
        }
    }

    private final EventHub hub;
    private final AlertBook book;
    private final RuleParser parser;
    private final Clock clock;
    private final List<WatchedMeter> meters;
    private final Map<String, AlertRule> configRules = new LinkedHashMap<>();
    private final Map<String, AlertRule> runtimeRules = new LinkedHashMap<>();
    private final Map<String, Inactive> inactive = new LinkedHashMap<>();
    private final Map<String, List<Binding>> byMeter = new HashMap<>();
    private final Map<String, MeterStatus> statusOf = new HashMap<>();
    private final Map<String, Instant> statusSince = new HashMap<>();
    private final LinkedHashMap<String, Occurrence> recent = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Occurrence> eldest) {
            return size() > RECENT;
        }
    };
    /**
     * Pending deadlines, earliest first, so the timer wakes for the next one without scanning every binding (with
     * 20 rules on 500 meters a scan on each new deadline had cost more than the rules themselves). An entry whose
     * binding has since been queued for another deadline, or has nothing pending, is skipped when it comes up.
     */
    private final PriorityQueue<Due> due = new PriorityQueue<>(Comparator.comparing(Due::at));
    private int bindingCount;
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * Orders rule changes (kept in the book, then applied) among themselves, so the book and the rules in force
     * agree; taken before {@code lock}, never inside it, and never by a bus thread.
     */
    private final ReentrantLock changing = new ReentrantLock();
    private final java.util.concurrent.locks.Condition changed = lock.newCondition();
    private Thread timer;
    private boolean closed;

    /**
     * @param rules  the config's rules
     * @param meters the gateway's meters (numbers resolved)
     * @param book   where run-time rules and alerts are kept; its run-time rules are loaded here
     * @param parser reads run-time rules (those in the book, and new ones), as the config's were read
     */
    public AlertWatch(List<AlertRule> rules, List<WatchedMeter> meters, EventHub hub, AlertBook book,
                      RuleParser parser, Clock clock) {
        this.hub = hub;
        this.book = book;
        this.parser = parser;
        this.clock = clock;
        this.meters = List.copyOf(meters);
        Instant now = clock.instant();
        for (WatchedMeter m : meters) {
            byMeter.put(m.meterNo(), new ArrayList<>());
            statusOf.put(m.meterNo(), hub.knows(m.meterNo()) ? hub.status(m.meterNo()).status()
                    : MeterStatus.DISCONNECTED);
            statusSince.put(m.meterNo(), now);
        }
        rules.forEach(r -> configRules.put(r.id(), r));
        Map<String, String> stored;
        try {
            stored = book.rules();
        } catch (AlertBook.Unavailable e) {
            // A store that cannot be read shows as ERROR in /health; the config's rules still watch the meters.
            LOG.warning("alert rules made at run time cannot be read (" + e.getMessage() + "): only the config's"
                    + " rules apply until the store can be read at the next start");
            stored = Map.of();
        }
        stored.forEach((id, json) -> {
            if (configRules.containsKey(id)) {
                LOG.warning("alert rule '" + id + "' kept from run time is also in the config: the config's applies");
                inactive.put(id, new Inactive(json, "a rule in the config has this id, and the config wins"));
                return;
            }
            try {
                runtimeRules.put(id, parser.rule(ConfigNode.parse(json, "stored alert rule '" + id + "'")));
            } catch (ConfigException e) {
                LOG.warning("alert rule '" + id + "' kept from run time no longer fits this config, not applied: "
                        + e.getMessage());
                inactive.put(id, new Inactive(json, "no longer fits this config: " + e.getMessage()));
            }
        });
        configRules.values().forEach(this::bind);
        runtimeRules.values().forEach(this::bind);
    }

    /** The parser rules made at run time go through. */
    public RuleParser parser() {
        return parser;
    }

    /**
     * Takes the alerts the last run left open (they are not raised again, and clear or are acknowledged as if there
     * had been no restart), clears those whose rule is gone, then watches the hub and starts the timer.
     */
    public void start() {
        List<Occurrence> open;
        try {
            open = book.active();
        } catch (AlertBook.Unavailable e) {
            LOG.warning("alerts left open by the last run cannot be read (" + e.getMessage() + "): they are not"
                    + " taken over, and a condition that still holds raises anew");
            open = List.of();
        }
        lock.lock();
        try {
            for (Occurrence o : open) {
                // One row that cannot be taken over must not keep the gateway from starting.
                try {
                    takeOver(o);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "alert " + o.alertId() + " of rule '" + o.ruleId() + "' on meter "
                            + o.meterNo() + " was open and could not be taken over or cleared", e);
                }
            }
            hub.observe(this);
            timer = Thread.ofVirtual().name("alert-watch").start(this::run);
        } finally {
            lock.unlock();
        }
    }

    private void takeOver(Occurrence o) {
        Binding b = binding(o.ruleId(), o.meterNo());
        Alert latest = o.latest();
        if (b != null && b.current == null) {
            recent.put(o.alertId(), o);
            b.current = latest;
            return;
        }
        Alert cleared = latest.in(Alert.State.CLEARED, JsonValue.NULL, clock.instant(), null);
        if (!hub.knows(o.meterNo())) {
            // The meter is gone from the config (or renumbered): no event can name it, so only its row is closed.
            book.clearOccurrence(o.alertId(), cleared.timestamp());
            recent.put(o.alertId(), o.then(cleared));
            LOG.info("alert " + o.alertId() + " of rule '" + o.ruleId() + "' was open on meter " + o.meterNo()
                    + ", which is no longer configured: cleared in the store, without an event");
            return;
        }
        LOG.info("alert " + o.alertId() + " of rule '" + o.ruleId() + "' on meter " + o.meterNo()
                + " was open, and the rule no longer applies: cleared");
        recent.put(o.alertId(), o);
        publish(cleared);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (timer != null) {
            try {
                timer.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- what the hub is offered ------------------------------------------------------------------------------

    @Override
    public void polled(Reading reading) {
        List<Binding> bs = byMeter.get(reading.meterNo());
        if (bs == null) {
            return;
        }
        lock.lock();
        try {
            Instant now = clock.instant();
            for (Binding b : bs) {
                if (b.point == null) {
                    continue;
                }
                Reading.Entry e = reading.values().get(b.point.name());
                if (e != null) {
                    see(b, e.value(), now);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void see(Binding b, PointValue v, Instant now) {
        Condition c = ((AlertRule.PointWatch) b.rule.watch()).condition();
        boolean turning = b.current == null ? c.alarm(b.point, v) : c.normal(b.point, v);
        if (!turning) {
            b.since = null;
            return;
        }
        if (b.since == null) {
            b.since = now;
        }
        b.pendingValue = value(b.point, v);
        settle(b, now);
    }

    @Override
    public void reported(StatusReport report) {
        List<Binding> bs = byMeter.get(report.meterNo());
        if (bs == null) {
            return;
        }
        lock.lock();
        try {
            Instant now = clock.instant();
            MeterStatus s = report.status();
            if (statusOf.put(report.meterNo(), s) != s) {
                statusSince.put(report.meterNo(), now);
            }
            for (Binding b : bs) {
                if (b.point != null) {
                    if (s != MeterStatus.CONNECTED) {
                        b.since = null;
                    }
                    continue;
                }
                statusChanged(b, now);
            }
        } finally {
            lock.unlock();
        }
    }

    private void statusChanged(Binding b, Instant now) {
        MeterStatus s = statusOf.get(b.meterNo);
        boolean matches = ((AlertRule.StatusWatch) b.rule.watch()).status() == s;
        if (b.current != null) {
            if (!matches) {
                b.since = null;
                clear(b, Json.createValue(s.name()), now);
            }
            return;
        }
        if (!matches) {
            b.since = null;
            return;
        }
        if (b.since == null) {
            b.since = statusSince.get(b.meterNo);
        }
        b.pendingValue = Json.createValue(s.name());
        settle(b, now);
    }

    /** Raises or clears when the pending change has held for {@code for}; else wakes the timer for its deadline. */
    private void settle(Binding b, Instant now) {
        Instant deadline = b.deadline();
        if (now.isBefore(deadline)) {
            schedule(b, deadline);
            return;
        }
        JsonValue v = b.pendingValue;
        b.since = null;
        if (b.current == null) {
            raise(b, v, now);
        } else {
            clear(b, v, now);
        }
    }

    private void raise(Binding b, JsonValue v, Instant now) {
        Alert a = new Alert(UUID.randomUUID().toString(), b.rule.id(), b.meterNo, b.rule.point(), v,
                b.rule.severity(), Alert.State.RAISED, now, null);
        b.current = a;
        publish(a);
    }

    private void clear(Binding b, JsonValue v, Instant now) {
        Alert a = b.current.in(Alert.State.CLEARED, v, now, null);
        b.current = null;
        publish(a);
    }

    private void publish(Alert a) {
        hub.publishAlert(a);
        Occurrence before = recent.get(a.alertId());
        recent.put(a.alertId(), before == null ? Occurrence.raised(a) : before.then(a));
    }

    private static JsonValue value(Point p, PointValue v) {
        return switch (v) {
            case PointValue.Number n -> {
                String label = p.label(n.value());
                yield label != null ? Json.createValue(label) : Json.createValue(n.value());
            }
            case PointValue.Flag f -> {
                String label = p.labels().get(f.on() ? 1L : 0L);
                yield label != null ? Json.createValue(label) : f.on() ? JsonValue.TRUE : JsonValue.FALSE;
            }
            case PointValue.Text t -> Json.createValue(t.text());
            case PointValue.Invalid i -> JsonValue.NULL;
        };
    }

    // ---- the clock ------------------------------------------------------------------------------------------

    /** Settles every pending change whose {@code for} is up by the clock now (the timer does this by itself). */
    public void check() {
        lock.lock();
        try {
            Instant now = clock.instant();
            for (List<Binding> bs : byMeter.values()) {
                for (Binding b : bs) {
                    try {
                        if (b.since != null && !now.isBefore(b.deadline())) {
                            settle(b, now);
                        }
                    } catch (RuntimeException e) {
                        dropPending(b, e);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        lock.lock();
        try {
            while (!closed) {
                try {
                    Duration wait = settleDue(clock.instant());
                    if (wait == null) {
                        changed.await();
                    } else {
                        // Rounded up: 0.4 ms truncated to 0 would spin until the deadline.
                        changed.await((wait.toNanos() + 999_999) / 1_000_000, TimeUnit.MILLISECONDS);
                    }
                } catch (RuntimeException e) {
                    // The timer serves every rule: a fault (a clock that throws) is logged, and it goes on.
                    LOG.log(Level.WARNING, "alert timer: a check failed; trying again in a second", e);
                    changed.await(1, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }


    /** Queues a binding's deadline; wakes the timer only when it is the new earliest one. */
    private void schedule(Binding b, Instant deadline) {
        if (deadline.equals(b.queued)) {
            return;
        }
        b.queued = deadline;
        Due head = due.peek();
        due.add(new Due(deadline, b));
        if (head == null || deadline.isBefore(head.at())) {
            changed.signalAll();
        }
        if (due.size() > 4 * bindingCount + 64) {
            // Values that keep starting and dropping a pending change leave stale entries: keep the queue bounded.
            due.clear();
            for (List<Binding> bs : byMeter.values()) {
                for (Binding x : bs) {
                    x.queued = x.since == null ? null : x.deadline();
                    if (x.queued != null) {
                        due.add(new Due(x.queued, x));
                    }
                }
            }
        }
    }

    /** Settles the binding at the head of the queue if its deadline is up; the time to wait otherwise, or null. */
    private Duration settleDue(Instant now) {
        Due head;
        while ((head = due.peek()) != null) {
            Binding b = head.binding();
            if (!head.at().equals(b.queued) || b.since == null) {
                due.poll(); // stale: queued again since, or nothing pending any more
                if (head.at().equals(b.queued)) {
                    b.queued = null; // so that the same deadline, pending again, is queued again
                }
                continue;
            }
            if (now.isBefore(head.at())) {
                return Duration.between(now, head.at());
            }
            due.poll();
            b.queued = null;
            try {
                settle(b, now);
            } catch (RuntimeException e) {
                dropPending(b, e);
            }
        }
        return null;
    }

    /** One binding's pending change that cannot be settled is dropped, so it neither stops nor spins the timer. */
    private void dropPending(Binding b, RuntimeException e) {
        b.since = null;
        LOG.log(Level.WARNING, "alert rule '" + b.rule.id() + "' on meter " + b.meterNo
                + ": a pending change could not be settled, dropped", e);
    }

    // ---- alerts -------------------------------------------------------------------------------------------

    /** Occurrences as asked, newest first: from the store when there is one, else the recent ones in memory. */
    public List<Occurrence> list(AlertQuery q) {
        if (book.keeps()) {
            return book.find(q);
        }
        lock.lock();
        try {
            return recent.values().stream().filter(q::matches)
                    .sorted(Comparator.comparing(Occurrence::raised, Comparator.reverseOrder()))
                    .limit(q.limit()).toList();
        } finally {
            lock.unlock();
        }
    }

    /** Acknowledges an open alert on behalf of {@code by} (a token name); an acknowledged alert still clears. */
    public Ack acknowledge(String alertId, String by) {
        Occurrence o;
        lock.lock();
        try {
            for (List<Binding> bs : byMeter.values()) {
                for (Binding b : bs) {
                    if (b.current != null && b.current.alertId().equals(alertId)) {
                        if (b.current.state() == Alert.State.ACKNOWLEDGED) {
                            return new Ack.AlreadyAcknowledged(b.current);
                        }
                        b.current = b.current.in(Alert.State.ACKNOWLEDGED, null, clock.instant(), by);
                        publish(b.current);
                        return new Ack.Done(b.current);
                    }
                }
            }
            o = recent.get(alertId);
        } finally {
            lock.unlock();
        }
        if (o == null) {
            // Outside the lock: any caller may ask about any id, and a read of the store must not hold up the polls.
            o = book.occurrence(alertId).orElse(null);
        }
        return o != null ? new Ack.AlreadyCleared(o) : new Ack.Unknown();
    }

    /** Every (meter, rule) pair with its open alert, meters and rules in order. */
    public List<Slot> slots() {
        lock.lock();
        try {
            List<Slot> out = new ArrayList<>();
            for (WatchedMeter m : meters) {
                for (Binding b : byMeter.get(m.meterNo())) {
                    out.add(new Slot(b.meterNo, b.rule.id(), b.rule.severity(), Optional.ofNullable(b.current)));
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    // ---- rules --------------------------------------------------------------------------------------------

    public List<Listed> rules() {
        lock.lock();
        try {
            List<Listed> out = new ArrayList<>();
            configRules.values().forEach(r -> out.add(Listed.of(r, Origin.CONFIG)));
            runtimeRules.values().forEach(r -> out.add(Listed.of(r, Origin.RUNTIME)));
            inactive.forEach((id, i) -> out.add(new Listed(id, i.json(), Origin.STORED_INACTIVE, i.why())));
            return out;
        } finally {
            lock.unlock();
        }
    }

    public Optional<Listed> rule(String id) {
        return rules().stream().filter(l -> l.id().equals(id)).findFirst();
    }

    /**
     * Adds or replaces a run-time rule, kept in the book first (a book that cannot keep it throws
     * {@link AlertBook.Unavailable}, and nothing changes). A replaced rule's open alerts are cleared; if the new
     * rule still holds they are raised again under it. The book is written outside {@code lock}: a slow disk holds up
     * rule changes, never the polls.
     */
    public Change put(AlertRule rule) {
        if (configRules.containsKey(rule.id())) { // set once, in the constructor
            return new Change.ConfigRule(rule.id());
        }
        changing.lock();
        try {
            book.saveRule(rule.id(), rule.json());
            lock.lock();
            try {
                boolean replaced = unbind(rule.id()) | inactive.remove(rule.id()) != null;
                runtimeRules.put(rule.id(), rule);
                bind(rule);
                Instant now = clock.instant();
                for (Binding b : bindings(rule.id())) {
                    if (b.point == null) {
                        statusChanged(b, now);
                    }
                }
                return replaced ? new Change.Replaced(rule) : new Change.Created(rule);
            } finally {
                lock.unlock();
            }
        } finally {
            changing.unlock();
        }
    }

    /**
     * Deletes a run-time rule and clears its open alerts, or forgets a stored-inactive one (also under the id of a
     * config rule, which stays); the book first, outside {@code lock}, as for {@link #put}.
     */
    public Change delete(String id) {
        changing.lock();
        try {
            boolean stored;
            lock.lock();
            try {
                stored = runtimeRules.containsKey(id) || inactive.containsKey(id);
            } finally {
                lock.unlock();
            }
            if (!stored) {
                return configRules.containsKey(id) ? new Change.ConfigRule(id) : new Change.Unknown(id);
            }
            book.deleteRule(id);
            lock.lock();
            try {
                // An inactive stored rule has no bindings: those of its id may be the config rule's, which stays.
                if (runtimeRules.remove(id) != null) {
                    unbind(id);
                }
                inactive.remove(id);
                return new Change.Deleted(id);
            } finally {
                lock.unlock();
            }
        } finally {
            changing.unlock();
        }
    }

    private void bind(AlertRule rule) {
        for (WatchedMeter m : meters) {
            if (!rule.appliesTo(m)) {
                continue;
            }
            Point p = rule.point() == null ? null : m.point(rule.point()).orElse(null);
            if (rule.point() != null && p == null) {
                continue;
            }
            byMeter.get(m.meterNo()).add(new Binding(rule, m.meterNo(), p));
            bindingCount++;
        }
    }

    /** Removes a rule's bindings, clearing their open alerts; whether it had any. */
    private boolean unbind(String id) {
        boolean had = runtimeRules.containsKey(id);
        Instant now = clock.instant();
        for (List<Binding> bs : byMeter.values()) {
            bs.removeIf(b -> {
                if (!b.rule.id().equals(id)) {
                    return false;
                }
                if (b.current != null) {
                    clear(b, JsonValue.NULL, now);
                }
                b.since = null; // its queued deadline, if any, is skipped when it comes up
                bindingCount--;
                return true;
            });
        }
        return had;
    }

    private List<Binding> bindings(String ruleId) {
        List<Binding> out = new ArrayList<>();
        byMeter.values().forEach(bs -> bs.stream().filter(b -> b.rule.id().equals(ruleId)).forEach(out::add));
        return out;
    }

    private Binding binding(String ruleId, String meterNo) {
        List<Binding> bs = byMeter.get(meterNo);
        return bs == null ? null : bs.stream().filter(b -> b.rule.id().equals(ruleId)).findFirst().orElse(null);
    }
}
