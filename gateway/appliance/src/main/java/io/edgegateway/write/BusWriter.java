package io.edgegateway.write;

import io.edgegateway.config.DeviceConfig;
import io.edgegateway.config.GatewayConfig;
import io.edgegateway.device.BadResponseException;
import io.edgegateway.device.DeviceException;
import io.edgegateway.device.LinkDownException;
import io.edgegateway.device.NoResponseException;
import io.edgegateway.device.RejectedException;
import io.edgegateway.device.UnsuitableValueException;
import io.edgegateway.dlms.apdu.DataAccessResult;
import io.edgegateway.hub.EventHub;
import io.edgegateway.modbus.ExceptionCode;
import io.edgegateway.point.CosemAddress;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.poll.BusScheduler;
import io.edgegateway.poll.LineWrite;
import io.edgegateway.reading.MeterStatus;
import io.edgegateway.store.AuditEntry;
import io.edgegateway.store.EventStore;
import io.edgegateway.store.StoreHealth;
import jakarta.json.JsonValue;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The gateway's {@link PointWriter}: checks the meter, the point and the value, hands the write to the meter's bus
 * scheduler (it runs between polls on the bus thread), waits for the device, and records every attempt in the
 * store's audit trail and the log.
 *
 * <p>Waiting is bounded twice: up to {@code queueWait} for the bus thread to take the write (a poll or a
 * load-profile chunk in progress finishes first); a write not taken by then is withdrawn, never sent, and answered
 * 504. Once taken, up to {@code exchangeWait} for its three exchanges (read, write, read back), each of which the
 * line bounds by its own timeout already. A write still running when that wait ends is answered 504, and audited
 * twice: {@code device-timeout} then, and how it ended ({@code ok (late)} or its refusal) once the bus thread is done.
 *
 * <p>A write is refused (503 {@code audit-unavailable}) while the store is failing: it could not be audited. With
 * {@code storage.enabled: false} the log is the only record.
 */
public final class BusWriter implements PointWriter {

    private static final Logger LOG = Logger.getLogger(BusWriter.class.getName());

    private final GatewayConfig config;
    private final EventHub hub;
    private final Supplier<List<BusScheduler>> buses;
    private final EventStore store;
    private final Clock clock;
    private final Duration queueWait;
    private final Duration exchangeWait;

    /** @param buses the running schedulers, read at each write (buses are still being added at start) */
    public BusWriter(GatewayConfig config, EventHub hub, Supplier<List<BusScheduler>> buses, EventStore store,
                     Clock clock, Duration queueWait, Duration exchangeWait) {
        this.config = config;
        this.hub = hub;
        this.buses = buses;
        this.store = store;
        this.clock = clock;
        this.queueWait = queueWait;
        this.exchangeWait = exchangeWait;
    }

    /** With the defaults: 10 s for the line, 30 s for the device. */
    public BusWriter(GatewayConfig config, EventHub hub, Supplier<List<BusScheduler>> buses, EventStore store,
                     Clock clock) {
        this(config, hub, buses, store, clock, Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    @Override
    public WriteOutcome write(String tokenName, String meterNo, String pointName, JsonValue value) {
        String asked = value == null ? null : value.toString();
        Attempt a = new Attempt(tokenName, meterNo, pointName, asked);
        Optional<DeviceConfig> device = config.device(meterNo);
        if (device.isEmpty()) {
            return a.refused(404, "unknown-meter", "no meter '" + meterNo + "' on this gateway");
        }
        Optional<Point> point = device.get().points().stream().filter(p -> p.name().equals(pointName)).findFirst();
        if (point.isEmpty()) {
            List<String> writable = device.get().points().stream().filter(Point::writable).map(Point::name).toList();
            return a.refused(404, "unknown-point", "meter " + meterNo + " has no point '" + pointName + "'"
                    + (writable.isEmpty() ? "" : "; its writable points: " + String.join(", ", writable)));
        }
        Point p = point.get();
        PointValue wanted;
        try {
            wanted = ValueCheck.accept(p, value);
        } catch (ValueCheck.Refusal r) {
            return a.refused(r.refused());
        }
        if (hub.status(meterNo).status() == MeterStatus.DISCONNECTED) {
            return a.refused(409, "device-disconnected", "meter " + meterNo + " is DISCONNECTED ("
                    + Optional.ofNullable(hub.status(meterNo).detail()).orElse("not answering") + "); not written");
        }
        if (store.health().state() == StoreHealth.State.ERROR) {
            return a.refused(503, "audit-unavailable", "the store cannot record the write ("
                    + store.health().reason() + "); not written");
        }
        Optional<BusScheduler> bus = buses.get().stream().filter(b -> b.polls(meterNo)).findFirst();
        if (bus.isEmpty()) {
            return a.refused(409, "device-disconnected", "meter " + meterNo + " is not polled yet");
        }
        LineWrite w;
        try {
            w = bus.get().write(meterNo, p, wanted);
        } catch (RejectedExecutionException e) {
            return a.refused(503, "bus-busy", e.getMessage());
        }
        return await(a, p, w);
    }

    @Override
    public WriteOutcome.Refused refuse(String tokenName, String meterNo, String pointName, JsonValue value,
                                       WriteOutcome.Refused why) {
        return new Attempt(tokenName, meterNo, pointName, value == null ? null : value.toString()).refused(why);
    }

    @Override
    public WriteOutcome.Refused notLocal(String meterNo, String pointName, WriteOutcome.Refused why) {
        LOG.fine(() -> printable("write " + meterNo + " '" + pointName + "' from another machine: " + why.code()
                + " (not audited: no tokens configured)"));
        return why;
    }

    /**
     * {@code text} with its control characters escaped (a line feed as backslash u000a): meter and point names
     * come from the request's path, and a {@code %0A} in one must not forge a line of the log.
     */
    static String printable(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    private WriteOutcome await(Attempt a, Point p, LineWrite w) {
        LineWrite.Done done;
        try {
            try {
                done = w.result().get(queueWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (w.withdraw()) {
                    return a.refused(504, "device-timeout", "the bus was busy for " + queueWait.toSeconds()
                            + " s; not written");
                }
                done = w.result().get(exchangeWait.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (TimeoutException e) {
            WriteOutcome.Refused timedOut = a.refused(504, "device-timeout", "no answer from the device within "
                    + (queueWait.plus(exchangeWait)).toSeconds() + " s; the write may or may not have been taken");
            // The bus thread still finishes it: a second row says how, so the trail never hides a changed setpoint.
            // Async, on a virtual thread: not the bus thread's time (nor the common pool's) spent on the commit.
            w.result().whenCompleteAsync((late, failure) -> {
                try {
                    a.late(p, late, failure);
                } catch (RuntimeException bug) {
                    LOG.log(Level.WARNING, "write of " + p.name() + ": its late end is not in the audit trail", bug);
                }
            }, LATE);
            return timedOut;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return a.refused(503, "interrupted", "the gateway is stopping");
        } catch (ExecutionException e) {
            return a.refused(failed(p, e.getCause()));
        }
        JsonValue before = ValueCheck.json(done.before());
        JsonValue after = ValueCheck.json(done.after());
        String shown = p.display(done.after());
        a.record(before, "ok", readBack(p, done));
        return new WriteOutcome.Written(a.meterNo, p.name(), before, after, shown);
    }

    private static String readBack(Point p, LineWrite.Done done) {
        String shown = p.display(done.after());
        return "read back " + (shown == null ? "nothing: " + done.after() : shown);
    }

    /** A device failure, or anything else the bus thread ended a write with. */
    private static WriteOutcome.Refused failed(Point p, Throwable cause) {
        if (cause instanceof UnsuitableValueException u) {
            return unsuitable(u);
        }
        if (cause instanceof DeviceException d) {
            return refusal(p, d);
        }
        LOG.log(Level.WARNING, "write of " + p.name() + " failed", cause);
        return new WriteOutcome.Refused(503, "write-failed", String.valueOf(cause.getMessage()));
    }

    /**
     * What a device failure means for the caller: 502 {@code device-exception} naming the protocol's refusal
     * ("ILLEGAL DATA VALUE (3)", "read-write-denied (3)"), 504 {@code device-timeout}, 409 {@code
     * device-disconnected} for a link that is down, 502 {@code bad-response}.
     */
    public static WriteOutcome.Refused refusal(Point point, DeviceException e) {
        return switch (e) {
            case RejectedException r -> new WriteOutcome.Refused(502, "device-exception", "the device refused the "
                    + "write: " + refusalName(point, r.code()) + " (" + e.getMessage() + ")");
            case NoResponseException n -> new WriteOutcome.Refused(504, "device-timeout", "no answer: "
                    + e.getMessage());
            case LinkDownException l -> new WriteOutcome.Refused(409, "device-disconnected", "the link is down: "
                    + e.getMessage());
            case BadResponseException b -> new WriteOutcome.Refused(502, "bad-response", e.getMessage());
        };
    }

    /**
     * A value the driver found unfit once it knew what the device holds, before sending anything: 400 like the
     * gateway's own checks, or 409 {@code unit-mismatch} (the point's unit and the device's do not convert).
     */
    public static WriteOutcome.Refused unsuitable(UnsuitableValueException e) {
        int status = e.reason() == UnsuitableValueException.Reason.UNIT_MISMATCH ? 409 : 400;
        return new WriteOutcome.Refused(status, e.reason().code(), e.getMessage() + "; nothing was sent");
    }

    /** "ILLEGAL DATA ADDRESS (2)" for Modbus, "read-write-denied (3)" for DLMS. */
    static String refusalName(Point point, int code) {
        if (code < 0) {
            return "refused";
        }
        if (point.address() instanceof ModbusAddress) {
            ExceptionCode c = ExceptionCode.of(code);
            return (c == null ? String.format(Locale.ROOT, "exception %02X", code) : c.text()) + " (" + code + ")";
        }
        if (point.address() instanceof CosemAddress) {
            return DataAccessResult.of(code).standardName() + " (" + code + ")";
        }
        return "code " + code;
    }

    /** One attempt on its way to the audit trail. */
    /** Where the late end of a write is recorded: one short-lived virtual thread each (they are rare). */
    private static final java.util.concurrent.Executor LATE = r -> Thread.ofVirtual().name("late-write").start(r);

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max) + "…";
    }

    private final class Attempt {
        final String token;
        final String meterNo;
        final String point;
        final String asked;

        Attempt(String token, String meterNo, String point, String asked) {
            // Names and values come from the request: cut so that the row cap also bounds the trail's size.
            this.token = token;
            this.meterNo = cut(meterNo, 64);
            this.point = cut(point, 128);
            this.asked = cut(asked, 256);
        }

        WriteOutcome.Refused refused(int status, String code, String message) {
            return refused(new WriteOutcome.Refused(status, code, message));
        }

        WriteOutcome.Refused refused(WriteOutcome.Refused r) {
            record(null, r.code(), r.message());
            return r;
        }

        /** How a write the caller stopped waiting for ended: {@code ok (late)}, or its refusal's code. */
        void late(Point p, LineWrite.Done done, Throwable failure) {
            if (failure == null) {
                record(ValueCheck.json(done.before()), "ok (late)", "after the caller's timeout: " + readBack(p, done));
                return;
            }
            Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
            WriteOutcome.Refused r = failed(p, cause);
            record(null, r.code(), "after the caller's timeout: " + r.message());
        }

        void record(JsonValue before, String result, String refusalOrReadBack) {
            String old = cut(before == null || before == JsonValue.NULL ? null : before.toString(), 256);
            String detail = cut(refusalOrReadBack, 512);
            LOG.info(() -> printable("write " + meterNo + " '" + point + "' = " + asked
                    + (token == null ? "" : " by " + token) + ": " + result + (old == null ? "" : " (was " + old + ")")
                    + "; " + detail));
            if (!store.config().enabled()) {
                return;
            }
            try {
                store.audit(new AuditEntry(0, clock.instant(), token, meterNo, point, old, asked, result, detail));
            } catch (SQLException e) {
                LOG.warning(printable("write " + meterNo + " '" + point + "': not in the audit trail: "
                        + e.getMessage()));
            }
        }
    }
}
