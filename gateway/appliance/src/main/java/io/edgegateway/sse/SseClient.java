package io.edgegateway.sse;

import io.edgegateway.hub.Attachment;
import io.edgegateway.hub.EventLog;
import io.edgegateway.hub.HubEvent;
import io.edgegateway.hub.Subscriber;
import io.edgegateway.hub.Subscription;
import io.edgegateway.reading.Reading;
import io.edgegateway.reading.ReadingJson;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

/**
 * One connected SSE client: its bounded queue (the hub's {@link Subscriber}), its filters and counters, and the
 * loop that writes its stream. The loop runs on the request's own virtual thread and blocks only on this
 * client's socket; the hub never waits for it.
 */
final class SseClient implements Subscriber {

    /** Events written per flush at most: batches bursts without starving the heartbeat. */
    private static final int BATCH = 64;
    /** Pending bytes that are sent before the flush: a replay or backlog is not joined into one huge array. */
    private static final int SEND_AT = 32 * 1024;

    // Renderings shared by every unfiltered client of the same stream kind and format, through the event's memo.
    private static final HubEvent.Rendering<String> TYPED_JSON = HubEvent.Rendering.named("typed-json");
    private static final HubEvent.Rendering<String> CHANGES_JSON = HubEvent.Rendering.named("changes-json");
    private static final HubEvent.Rendering<String> CHANGES_TYPED_JSON = HubEvent.Rendering.named("changes-typed-json");
    private static final HubEvent.Rendering<byte[]> STATUS_FRAME = HubEvent.Rendering.named("status-frame");
    private static final HubEvent.Rendering<byte[]> ALERT_FRAME = HubEvent.Rendering.named("alert-frame");
    private static final HubEvent.Rendering<byte[]> ENTRY_FRAME = HubEvent.Rendering.named("entry-frame");
    private static final HubEvent.Rendering<byte[]> TYPED_ENTRY_FRAME = HubEvent.Rendering.named("typed-entry-frame");
    private static final HubEvent.Rendering<byte[]> BARE_STATUS_FRAME = HubEvent.Rendering.named("bare-status-frame");
    private static final HubEvent.Rendering<byte[]> BARE_ALERT_FRAME = HubEvent.Rendering.named("bare-alert-frame");
    /** Data frames, indexed by {@link #frameIndex}: unnamed (real-time-data) or named, typed, changes only. */
    private static final List<HubEvent.Rendering<byte[]>> DATA_FRAMES = IntStream.range(0, 8)
            .mapToObj(i -> HubEvent.Rendering.<byte[]>named("data-frame-" + i)).toList();

    private final Connection connection;
    private final StreamKind kind;
    private final StreamFormat format;
    /**
     * Meters whose whole row this client has had: with changes only, later readings carry changed keys alone.
     * Null for a client of whole rows.
     */
    private final Set<String> rowsSent;
    private final EventQueue queue;
    private final LongAdder eventsSent = new LongAdder();
    private final LongAdder gatewayEventsSent;
    private final Clock clock;
    private volatile Instant lastEventAt;
    private volatile Thread writer;
    private volatile long writeStartedNanos;
    /** Why it was cut off; the first reason wins, since cutting it off closes the socket the hang-up watch reads. */
    private final AtomicReference<String> closeReason = new AtomicReference<>();
    private Subscription subscription;
    private long lastIdSent;
    /** Frames written since the last send (a flush, or {@link #SEND_AT} bytes): the response stream does not buffer. */
    private Pending pending;

    SseClient(long id, String tokenName, String remote, StreamKind kind, String target, Audience audience,
              StreamFormat format, int queueSize, LongAdder gatewayEventsSent, Clock clock) {
        this.connection = new Connection(id, tokenName, remote, kind, target, audience, clock.instant());
        this.kind = kind;
        this.format = format;
        this.rowsSent = format.changesOnly() ? new HashSet<>() : null;
        this.queue = new EventQueue(queueSize);
        this.gatewayEventsSent = gatewayEventsSent;
        this.clock = clock;
    }

    @Override
    public boolean offer(HubEvent event) {
        return queue.offer(event);
    }

    /** Queues a stream-local event; false if the queue is full. */
    boolean offer(Notice notice) {
        return queue.offer(notice);
    }

    /**
     * Writes the stream until the client goes away, falls behind, stalls, or the server stops.
     *
     * @return why the stream ended
     */
    String stream(OutputStream out, Attachment attachment, Duration heartbeat, Duration retry) {
        writer = Thread.currentThread();
        subscription = attachment.subscription();
        String early = closeReason.get();
        if (early != null) {
            return early; // cut off, or hung up, before there was a writer to interrupt
        }
        // Not the live cursor: events published since subscribing are queued behind the backlog.
        lastIdSent = attachment.position();
        try {
            writeOpening(out, attachment, heartbeat, retry);
            attachment = null; // sent: a stream that lasts for days must not keep its snapshot reachable
            return writeLive(out, heartbeat);
        } catch (InterruptedException e) {
            return closedFor("shutdown");
        } catch (IOException | RuntimeException e) {
            // The client went away (or was cut off from outside, which closes the socket under the write).
            return closedFor("disconnected");
        } finally {
            writer = null;
        }
    }

    /** The subscription once streaming started; the endpoint ends it when the stream ends. */
    Optional<Subscription> subscription() {
        return Optional.ofNullable(subscription);
    }

    /** The retry hint, {@code connected}, a gap notice if any, then what was missed or the snapshot. */
    private void writeOpening(OutputStream out, Attachment attachment, Duration heartbeat, Duration retry)
            throws IOException {
        pend(out, SseFrame.retry(retry.toMillis()));
        write(out, notice("connected", connectedJson(attachment, heartbeat)));
        if (attachment.resume() == Attachment.Resume.GAP) {
            write(out, notice("error", errorJson("replay-gap",
                    "events since your Last-Event-ID are no longer buffered; a fresh snapshot follows")));
        }
        if (attachment.logged() != null) {
            replayLogged(out, attachment.logged());
        }
        for (HubEvent e : attachment.backlog()) {
            writeEvent(out, e);
        }
        flush(out);
    }

    /** Live events and heartbeats until the client goes, falls behind or stalls; returns why it ended. */
    private String writeLive(OutputStream out, Duration heartbeat) throws IOException, InterruptedException {
        long nextHeartbeat = System.nanoTime() + heartbeat.toNanos();
        while (true) {
            if (subscription.overflowed()) {
                // It missed events: say so if it can still listen, then let it resume from what it has.
                closeReason.compareAndSet(null, "slow");
                write(out, notice("error", errorJson("slow-consumer",
                        "more than " + queue.capacity()
                                + " events were waiting for you; reconnect with Last-Event-ID")));
                flush(out);
                return closeReason.get();
            }
            long cursor = subscription.cursor(); // read before finding the queue empty, see Subscription
            long waitNanos = nextHeartbeat - System.nanoTime();
            Object next = waitNanos > 0 ? queue.poll(waitNanos) : queue.poll();
            if (next != null) {
                writeQueued(out, next);
                for (int i = 1; i < BATCH && (next = queue.poll()) != null; i++) {
                    writeQueued(out, next);
                }
                flush(out);
            } else if (System.nanoTime() - nextHeartbeat >= 0) {
                lastIdSent = Math.max(lastIdSent, cursor);
                write(out, notice("heartbeat", "{\"timestamp\":\"" + ReadingJson.timestamp(clock.instant()) + "\"}"));
                flush(out);
                // From now, not from the missed slot: after a long blocked write, one heartbeat, not a burst.
                nextHeartbeat = Math.max(nextHeartbeat + heartbeat.toNanos(),
                        System.nanoTime() + heartbeat.toNanos() / 2);
            }
        }
    }

    /**
     * What the replay buffer no longer holds, from the event log, with a {@code replay-gap} notice where the log
     * says ids were lost. Live events meanwhile wait in the queue; a replay too long for it ends as a slow consumer,
     * and the client resumes from where it got to.
     */
    private void replayLogged(OutputStream out, Attachment.Logged logged) throws IOException {
        int[] sinceFlush = {0};
        logged.log().replay(logged.afterId(), logged.upToId(), subscription.filter(), new EventLog.Replay() {
            @Override
            public void event(HubEvent e) throws IOException {
                writeEvent(out, e);
                if (++sinceFlush[0] == BATCH) {
                    flush(out);
                    sinceFlush[0] = 0;
                }
            }

            @Override
            public void gap(long fromId, long toId, String why) throws IOException {
                write(out, notice("error", gapJson(fromId, toId, why)));
                lastIdSent = Math.max(lastIdSent, toId);
            }
        });
    }

    private String gapJson(long fromId, long toId, String why) {
        return "{\"code\":\"replay-gap\",\"message\":" + jsonString("events " + fromId + " to " + toId
                + " were published but not kept (" + why + ")") + ",\"lostFrom\":" + fromId + ",\"lostTo\":" + toId
                + ",\"timestamp\":\"" + ReadingJson.timestamp(clock.instant()) + "\"}";
    }

    private void writeQueued(OutputStream out, Object item) throws IOException {
        switch (item) {
            case HubEvent e -> writeEvent(out, e);
            case Notice n -> write(out, notice(n.event(), n.json()));
            default -> throw new IllegalStateException("unexpected queue item " + item);
        }
    }

    /** A stream-local event at the current position: named, or a comment on a bare (WoT) stream. */
    private byte[] notice(String event, String json) {
        return kind.bare() ? SseFrame.comment(lastIdSent, event + " " + json)
                : SseFrame.encode(lastIdSent, event, json);
    }

    private void writeEvent(OutputStream out, HubEvent e) throws IOException {
        if (kind.bare()) {
            byte[] frame = bareFrame(e);
            if (frame != null) {
                write(out, frame);
                lastIdSent = Math.max(lastIdSent, e.id());
            }
            return;
        }
        byte[] frame = switch (e) {
            case HubEvent.Data d -> dataFrame(d);
            case HubEvent.Status s -> s.memo(STATUS_FRAME,
                    () -> SseFrame.encode(s.id(), "meter-status", ReadingJson.status(s.report())));
            // Always whole and always named: a row is not a change of the live reading that onmessage handlers
            // merge, and points= names live points, not profile columns.
            case HubEvent.Interval i -> i.memo(format.typed() ? TYPED_ENTRY_FRAME : ENTRY_FRAME,
                    () -> SseFrame.encode(i.id(), i.entry().kind().eventName(),
                            ReadingJson.profileEntry(i.entry(), format.typed(), null, null)));
            case HubEvent.AlertState a -> a.memo(ALERT_FRAME, () -> SseFrame.encode(a.id(), "alert", a.alert().json()));
        };
        write(out, frame);
        lastIdSent = Math.max(lastIdSent, e.id());
    }

    /**
     * What a WoT stream sends of an event, unnamed: the observed point's bare value, the status JSON or the alert
     * JSON; null for what the stream does not carry (profile rows, a reading without a valid value of the point).
     */
    private byte[] bareFrame(HubEvent e) {
        return switch (e) {
            case HubEvent.Data d -> {
                Reading.Entry entry = d.reading().values().get(format.points().iterator().next());
                JsonValue value = entry == null ? null : ReadingJson.bare(entry);
                yield value == null ? null : SseFrame.encode(d.id(), null, value.toString());
            }
            case HubEvent.Status s -> kind != StreamKind.THING_STATUS ? null
                    : s.memo(BARE_STATUS_FRAME, () -> SseFrame.encode(s.id(), null, ReadingJson.status(s.report())));
            case HubEvent.Interval i -> null;
            case HubEvent.AlertState a -> kind != StreamKind.THING_ALERT ? null
                    : a.memo(BARE_ALERT_FRAME, () -> SseFrame.encode(a.id(), null, a.alert().json()));
        };
    }

    private byte[] dataFrame(HubEvent.Data d) {
        // The first reading of each meter is its whole row, so that a client can always rebuild it.
        boolean changes = format.changesOnly() && !rowsSent.add(d.meterNo());
        if (!format.points().isEmpty()) {
            Set<String> only = changes ? intersection(format.points(), d.changed()) : format.points();
            return SseFrame.encode(d.id(), kind.dataEventName(), render(d.reading(), only));
        }
        // JSON first: memo must not be called from inside another memo computation (same map).
        String json = changes
                ? d.memo(format.typed() ? CHANGES_TYPED_JSON : CHANGES_JSON, () -> render(d.reading(), d.changed()))
                : d.memo(format.typed() ? TYPED_JSON : HubEvent.READING_JSON, () -> render(d.reading(), Set.of()));
        return d.memo(DATA_FRAMES.get(frameIndex(changes)), () -> SseFrame.encode(d.id(), kind.dataEventName(), json));
    }

    private int frameIndex(boolean changes) {
        return (kind.dataEventName() == null ? 1 : 0) | (format.typed() ? 2 : 0) | (changes ? 4 : 0);
    }

    private String render(Reading r, Set<String> only) {
        return format.typed() ? ReadingJson.typed(r, only) : ReadingJson.reading(r, only);
    }

    private static Set<String> intersection(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.retainAll(b);
        return out;
    }

    // The socket writes are timed: one may block on a client that stopped reading, and the registry's watchdog
    // cuts off a long block. The response stream does not buffer (ApiServer): what is pending goes out here.
    private void flush(OutputStream out) throws IOException {
        writeStartedNanos = System.nanoTime();
        send(out);
        out.flush();
        writeStartedNanos = 0;
    }

    /** Adds a frame to what the next flush sends; a long replay goes out in pieces of about {@link #SEND_AT}. */
    private void write(OutputStream out, byte[] frame) throws IOException {
        eventsSent.increment();
        gatewayEventsSent.increment();
        lastEventAt = clock.instant();
        pend(out, frame);
    }

    /** Adds bytes that are not an event (the retry hint) to what the next flush sends. */
    private void pend(OutputStream out, byte[] bytes) throws IOException {
        if (pending == null) {
            pending = new Pending();
        }
        pending.add(bytes);
        if (pending.length >= SEND_AT) {
            writeStartedNanos = System.nanoTime();
            send(out);
            writeStartedNanos = 0;
        }
    }

    private void send(OutputStream out) throws IOException {
        Pending p = pending;
        pending = null;
        if (p != null) {
            out.write(p.joined());
        }
    }

    /** Frames written since the last send, joined into one piece: one HTTP chunk and one socket write. */
    private static final class Pending {
        private final List<byte[]> frames = new ArrayList<>(4);
        private int length;

        void add(byte[] frame) {
            frames.add(frame);
            length += frame.length;
        }

        byte[] joined() {
            if (frames.size() == 1) {
                return frames.getFirst();
            }
            byte[] all = new byte[length];
            int at = 0;
            for (byte[] f : frames) {
                System.arraycopy(f, 0, all, at, f.length);
                at += f.length;
            }
            return all;
        }
    }

    private String connectedJson(Attachment a, Duration heartbeat) {
        return "{\"clientId\":\"" + connection.id() + "\",\"stream\":\"" + kind.path() + "\""
                + (connection.target() == null ? "" : ",\"target\":" + jsonString(connection.target()))
                + audienceJson()
                + ",\"resume\":\"" + a.resume().name().toLowerCase(java.util.Locale.ROOT) + "\""
                + ",\"heartbeatSeconds\":" + heartbeat.toSeconds()
                + ",\"timestamp\":\"" + ReadingJson.timestamp(clock.instant()) + "\"}";
    }

    // Only the notification stream says whom it belongs to: the reading streams' connected event stays as it was.
    private String audienceJson() {
        if (kind != StreamKind.NOTIFICATIONS) {
            return "";
        }
        Audience a = connection.audience();
        jakarta.json.JsonObjectBuilder meta = jakarta.json.Json.createObjectBuilder();
        a.metadata().forEach(meta::add);
        return ",\"userId\":" + (a.userId() == null ? "null" : jsonString(a.userId()))
                + ",\"sessionId\":" + (a.sessionId() == null ? "null" : jsonString(a.sessionId()))
                + ",\"metadata\":" + meta.build();
    }

    String errorJson(String code, String message) {
        return "{\"code\":" + jsonString(code) + ",\"message\":" + jsonString(message)
                + ",\"timestamp\":\"" + ReadingJson.timestamp(clock.instant()) + "\"}";
    }

    static String jsonString(String s) {
        return jakarta.json.Json.createValue(s).toString();
    }

    /** Cuts the client off from outside: interrupting its virtual thread closes the socket under a blocked write. */
    void abort(String reason) {
        closeReason.compareAndSet(null, reason);
        Thread t = writer;
        if (t != null) {
            t.interrupt();
        }
    }

    private String closedFor(String otherwise) {
        String reason = closeReason.get();
        return reason == null ? otherwise : reason;
    }

    /** Nanoseconds the current write has been blocked, 0 if not writing. */
    long blockedNanos() {
        long started = writeStartedNanos;
        return started == 0 ? 0 : System.nanoTime() - started;
    }

    boolean overflowed() {
        Subscription s = subscription;
        return s != null && s.overflowed();
    }

    Connection connection() {
        return connection;
    }

    long id() {
        return connection.id();
    }

    long eventsSent() {
        return eventsSent.sum();
    }

    Instant lastEventAt() {
        return lastEventAt;
    }

    int queued() {
        return queue.size();
    }
}
