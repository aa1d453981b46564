package io.edgegateway.hub;

import io.edgegateway.reading.Alert;
import io.edgegateway.reading.ProfileEntry;
import io.edgegateway.reading.Reading;
import io.edgegateway.reading.StatusReport;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Something subscribers are told: a changed reading, a status transition, a profile row or an alert. Immutable
 * apart from a memo of renderings, so that thousands of subscribers share one encoded copy.
 */
public sealed abstract class HubEvent permits HubEvent.Data, HubEvent.Status, HubEvent.Interval,
        HubEvent.AlertState {

    /**
     * A kind of rendering kept in an event's memo, typed by what it renders to. Keys are compared by identity:
     * make each one once, as a constant.
     */
    public static final class Rendering<T> {
        private final String name;

        private Rendering(String name) {
            this.name = name;
        }

        public static <T> Rendering<T> named(String name) {
            return new Rendering<>(name);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A data event's reading in the documented JSON, all points. */
    public static final Rendering<String> READING_JSON = Rendering.named("reading-json");

    private final long id;
    private final ConcurrentHashMap<Rendering<?>, Object> memo = new ConcurrentHashMap<>(2);

    HubEvent(long id) {
        this.id = id;
    }

    /** Gateway-wide monotonic id; snapshot events carry the id of the moment they describe. */
    public long id() {
        return id;
    }

    public abstract String meterNo();

    /** A rendering of this event, computed once per kind and shared. Must not be called from inside a render. */
    @SuppressWarnings("unchecked") // the key's type parameter is the type of what was stored under it
    public <T> T memo(Rendering<T> kind, Supplier<T> render) {
        return (T) memo.computeIfAbsent(kind, k -> render.get());
    }

    /** A reading in which at least one point changed beyond its deadband. */
    public static final class Data extends HubEvent {
        private final Reading reading;
        private final Set<String> changed;

        /** A data event; the hub makes them as it publishes, the event log as it replays them. */
        public Data(long id, Reading reading, Set<String> changed) {
            // A hash set: the store and the SSE filters look a name up in it for every point of every reading.
            this(reading, id, Collections.unmodifiableSet(new HashSet<>(changed)));
        }

        private Data(Reading reading, long id, Set<String> changed) {
            super(id);
            this.reading = reading;
            this.changed = changed;
        }

        /** For the hub, which hands over a read-only set it made for this event ({@link Reading#changesSince}). */
        static Data owning(long id, Reading reading, Set<String> changed) {
            return new Data(reading, id, changed);
        }

        /** The meter's latest reading as a snapshot: every point counts as changed, with no copy of their names. */
        public static Data snapshot(long id, Reading reading) {
            return new Data(reading, id, reading.values().keySet());
        }

        public Reading reading() {
            return reading;
        }

        /** Names of the points that changed (all of them in a snapshot). */
        public Set<String> changed() {
            return changed;
        }

        @Override
        public String meterNo() {
            return reading.meterNo();
        }
    }

    /** A status transition, or the current status in a snapshot. */
    public static final class Status extends HubEvent {
        private final StatusReport report;

        public Status(long id, StatusReport report) {
            super(id);
            this.report = report;
        }

        public StatusReport report() {
            return report;
        }

        @Override
        public String meterNo() {
            return report.meterNo();
        }
    }

    /**
     * A row read from a meter's Profile Generic buffer (an interval, or a logged meter event), stamped with the
     * meter's capture time. It is not a poll: it never becomes the meter's latest reading.
     */
    public static final class Interval extends HubEvent {
        private final ProfileEntry entry;

        public Interval(long id, ProfileEntry entry) {
            super(id);
            this.entry = entry;
        }

        public ProfileEntry entry() {
            return entry;
        }

        @Override
        public String meterNo() {
            return entry.meterNo();
        }
    }

    /** An alert raised, acknowledged or cleared. */
    public static final class AlertState extends HubEvent {
        private final Alert alert;

        public AlertState(long id, Alert alert) {
            super(id);
            this.alert = alert;
        }

        public Alert alert() {
            return alert;
        }

        @Override
        public String meterNo() {
            return alert.meterNo();
        }
    }
}
