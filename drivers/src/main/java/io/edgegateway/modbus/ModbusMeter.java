package io.edgegateway.modbus;

import io.edgegateway.modbus.codec.RegisterBlock;
import io.edgegateway.modbus.codec.RegisterDecoder;
import io.edgegateway.modbus.codec.RegisterEncoder;
import io.edgegateway.profile.RequestLimits;
import io.edgegateway.modbus.plan.ReadPlan;
import io.edgegateway.modbus.plan.ReadPlanner;
import io.edgegateway.modbus.plan.ReadRequest;
import io.edgegateway.device.BadResponseException;
import io.edgegateway.device.DeviceException;
import io.edgegateway.device.LinkDownException;
import io.edgegateway.device.MeterReader;
import io.edgegateway.device.NoResponseException;
import io.edgegateway.device.RejectedException;
import io.edgegateway.point.DataType;
import io.edgegateway.point.ModbusAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.point.Table;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads the points of one Modbus unit on a (possibly shared) {@link ModbusClient}.
 *
 * <p>Points are grouped into few requests by {@link ReadPlanner}; plans are cached per point list. Profiles often
 * join points across registers a device does not implement, and many devices refuse a read that touches one
 * (exception 02). Such a request is re-planned on the spot, first into contiguous runs, then one request per
 * point, and the smaller plan is remembered for later cycles. A point the device still refuses on its own is
 * reported as {@link PointValue.Invalid} and left out of later cycles; {@link #unreadable()} lists them.
 * {@link #forgetLearned()} starts over (after a config reload or a device swap).
 *
 * <p>A request without answer ends the cycle when nothing answered before it (the device is away: spending the
 * line on its other requests would only delay the other devices), and throws; otherwise its points become
 * Invalid and the rest is read.
 *
 * <p>{@link #read} is called by the bus scheduler from one thread at a time; the status accessors may be called
 * from any thread.
 */
public final class ModbusMeter implements MeterReader {

    /** Point lists a meter keeps plans for: one per poll group in practice, so a handful. */
    private static final int MAX_PLANS = 32;

    private final ModbusClient link;
    private final int unitId;
    private final RequestLimits limits;
    private final ReadPlanner planner;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<List<Point>, PlanSlot> plans = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<Point>, PlanSlot> eldest) {
            return size() > MAX_PLANS;
        }
    };
    private final Map<Point, String> unreadable = new LinkedHashMap<>();
    /** A copy for status readers, who must not wait for a read cycle on a slow line. */
    private volatile Map<Point, String> unreadableView = Map.of();
    /** The plan of the last list read: callers pass the same points every cycle, so it is found without hashing. */
    private PlanSlot lastSlot;
    private final Reprobe policy;
    /** The current re-probe period: it doubles while refusals are confirmed, and drops back once one is read. */
    private volatile long reprobeNanos;
    /** When the oldest of what was learned was learned; 0 when nothing is. */
    private volatile long learnedAtNanos;
    /** Points refused before the last re-probe and not asked since: read, the device changed; refused, confirmed. */
    private final Set<Point> confirming = new HashSet<>();

    /**
     * @param link   the connection, shared with the other units on it
     * @param unitId the unit id (slave address) of this device
     * @param limits request size and gap limits, usually the profile's
     */
    public ModbusMeter(ModbusClient link, int unitId, RequestLimits limits) {
        this(link, unitId, limits, Reprobe.DEFAULT);
    }

    /** @param reprobe when refused addresses are asked again */
    public ModbusMeter(ModbusClient link, int unitId, RequestLimits limits, Reprobe reprobe) {
        this.link = link;
        this.unitId = unitId;
        this.limits = limits;
        this.planner = new ReadPlanner(limits);
        this.policy = reprobe;
        this.reprobeNanos = reprobe.first().toNanos();
    }

    public ModbusClient link() {
        return link;
    }

    public int unitId() {
        return unitId;
    }

    public RequestLimits limits() {
        return limits;
    }

    /** "unit 3 on rtu /dev/ttyUSB0 9600 8N1". */
    public String describe() {
        return "unit " + unitId + " on " + link.describe();
    }

    @Override
    public Map<Point, PointValue> read(List<Point> points) throws DeviceException {
        lock.lock();
        try {
            if (points.isEmpty()) {
                return Map.of();
            }
            if (learnedAtNanos != 0 && System.nanoTime() - learnedAtNanos > reprobeNanos) {
                reprobe();
            }
            PlanSlot slot = slot(points);
            Cycle cycle = new Cycle(slot);
            if (!unreadable.isEmpty()) {
                for (int i = 0; i < slot.points.size(); i++) {
                    String reason = unreadable.get(slot.points.get(i));
                    if (reason != null) {
                        cycle.values[i] = new PointValue.Invalid(reason);
                    }
                }
            }
            if (slot.requests.isEmpty()) {
                throw new RejectedException("unit " + unitId + " on " + link.describe()
                        + " rejects every point asked for; check the profile (" + unreadable.get(slot.points.get(0))
                        + "); " + reprobeNote(), ExceptionCode.ILLEGAL_DATA_ADDRESS.code());
            }
            List<ReadRequest> requests = slot.requests;
            int window = requests.size() > 1 ? link.maxOutstanding() : 1;
            int sent = 0;
            for (int i = 0; i < requests.size(); i++) {
                // On a connection that takes several transactions, the next ones go out before this one's answer.
                for (; sent < Math.min(requests.size(), i + window) && window > 1; sent++) {
                    ReadRequest r = requests.get(sent);
                    link.readAhead(unitId, r.table(), r.start(), r.count());
                }
                execute(requests.get(i), cycle);
            }
            if (cycle.replanned) {
                slot.replan(cycle.next);
            }
            boolean allRefused = refusesEverything();
            if (allRefused) {
                reprobeNanos = Math.min(reprobeNanos, policy.capNanos(true));
            }
            if (cycle.decoded == 0) {
                if (allRefused && cycle.firstFailure instanceof RejectedException r) {
                    throw new RejectedException(r.getMessage() + "; " + reprobeNote(), r.code());
                }
                if (cycle.firstFailure != null) {
                    throw cycle.firstFailure;
                }
                throw new RejectedException("unit " + unitId + " on " + link.describe()
                        + " rejects every point asked for; check the profile", ExceptionCode.ILLEGAL_DATA_ADDRESS.code());
            }
            return result(points, slot, cycle.values);
        } finally {
            lock.unlock();
        }
    }

    /** Sends this cycle's requests ahead, behind those of the units the scheduler will read before this one. */
    @Override
    public void readAhead(List<Point> points) {
        if (link.maxOutstanding() < 2 || points.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            for (ReadRequest r : slot(points).requests) {
                link.readAhead(unitId, r.table(), r.start(), r.count(), true);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The plan of a point list: the last one again without hashing a point, else the cached one, else a new one. */
    private PlanSlot slot(List<Point> points) {
        if (lastSlot != null && sameElements(points, lastSlot.points)) {
            return lastSlot;
        }
        List<Point> key = List.copyOf(points);
        PlanSlot slot = plans.computeIfAbsent(key, k -> new PlanSlot(k, initialPlan(k)));
        lastSlot = slot;
        return slot;
    }

    private static boolean sameElements(List<Point> a, List<Point> b) {
        int n = a.size();
        if (n != b.size()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    /** Values by position in the caller's order; the caller's list equals the slot's key element by element. */
    private static Map<Point, PointValue> result(List<Point> points, PlanSlot slot, PointValue[] byPosition) {
        int n = points.size();
        PointValue[] values = new PointValue[n];
        for (int i = 0; i < n; i++) {
            // A point listed twice was read once, at its first position.
            PointValue v = byPosition[slot.distinct ? i : slot.positionOf(points.get(i))];
            values[i] = v != null ? v : new PointValue.Invalid("not read");
        }
        if (!slot.distinct) {
            Map<Point, PointValue> out = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                out.putIfAbsent(points.get(i), values[i]);
            }
            return out;
        }
        return new PointValues(points.toArray(new Point[0]), values);
    }

    /**
     * A point list with its current plan, which re-planning replaces, and where each request's points sit in the
     * list, so a cycle stores values by position instead of hashing points.
     */
    private static final class PlanSlot {
        final List<Point> points;
        final boolean distinct;
        private final Map<Point, Integer> firstPosition = new IdentityHashMap<>();
        private final Map<ReadRequest, int[]> positions = new IdentityHashMap<>();
        List<ReadRequest> requests;

        PlanSlot(List<Point> points, List<ReadRequest> requests) {
            this.points = points;
            this.requests = requests;
            for (int i = points.size() - 1; i >= 0; i--) {
                firstPosition.put(points.get(i), i);
            }
            this.distinct = firstPosition.size() == points.size() && new HashSet<>(points).size() == points.size();
        }

        int positionOf(Point p) {
            Integer i = firstPosition.get(p);
            return i != null ? i : points.indexOf(p);
        }

        int[] positions(ReadRequest r) {
            return positions.computeIfAbsent(r, k -> k.points().stream().mapToInt(this::positionOf).toArray());
        }

        void replan(List<ReadRequest> next) {
            requests = List.copyOf(next);
            positions.clear();
        }
    }

    /** What one read cycle collected. */
    private static final class Cycle {
        final PlanSlot slot;
        final PointValue[] values;
        final List<ReadRequest> next = new ArrayList<>();
        boolean replanned;
        int decoded;
        int answered;
        DeviceException firstFailure;

        Cycle(PlanSlot slot) {
            this.slot = slot;
            this.values = new PointValue[slot.points.size()];
        }

        void put(ReadRequest r, int i, PointValue v) {
            values[slot.positions(r)[i]] = v;
        }
    }

    private void execute(ReadRequest r, Cycle cycle) throws DeviceException {
        try {
            RegisterBlock block = link.read(unitId, r.table(), r.start(), r.count());
            int[] at = cycle.slot.positions(r);
            List<Point> ps = r.points();
            for (int i = 0; i < at.length; i++) {
                cycle.values[at[i]] = RegisterDecoder.decode(ps.get(i), block);
            }
            if (!confirming.isEmpty() && ps.stream().anyMatch(confirming::contains)) {
                // The device has changed (booted, reconfigured): what it still refuses is asked again soon.
                reprobeNanos = policy.first().toNanos();
                confirming.clear();
            }
            cycle.decoded += at.length;
            cycle.answered++;
            cycle.next.add(r);
        } catch (RejectedException e) {
            cycle.answered++;
            int code = e.code();
            boolean addressProblem = code == ExceptionCode.ILLEGAL_DATA_ADDRESS.code()
                    || code == ExceptionCode.ILLEGAL_DATA_VALUE.code();
            if (addressProblem) {
                List<ReadRequest> smaller = split(r);
                if (smaller != null) {
                    cycle.replanned = true;
                    for (ReadRequest s : smaller) {
                        execute(s, cycle);
                    }
                    return;
                }
            }
            if (addressProblem || code == ExceptionCode.ILLEGAL_FUNCTION.code()) {
                // The device will say the same next time: stop asking.
                boolean fresh = false;
                for (int i = 0; i < r.points().size(); i++) {
                    Point p = r.points().get(i);
                    String reason = "device rejects address " + ((ModbusAddress) p.address()).describe() + " ("
                            + ExceptionCode.describe(code) + ")";
                    fresh |= unreadable.put(p, reason) == null && !confirming.remove(p);
                    cycle.put(r, i, new PointValue.Invalid(reason));
                }
                unreadableView = Collections.unmodifiableMap(new LinkedHashMap<>(unreadable));
                if (fresh) {
                    // Refused for the first time (a meter answering 02 while it boots): asked again soon, however
                    // long other refusals have stood.
                    reprobeNanos = policy.first().toNanos();
                    learnedAtNanos = System.nanoTime();
                } else if (learnedAtNanos == 0) {
                    learnedAtNanos = System.nanoTime();
                }
                cycle.replanned = true;
                if (cycle.firstFailure == null) {
                    cycle.firstFailure = e;
                }
                return;
            }
            // Busy, device failure and the like pass: try again next cycle.
            fail(r, cycle, e);
        } catch (NoResponseException | LinkDownException e) {
            if (cycle.answered == 0) {
                throw e;
            }
            fail(r, cycle, e);
        } catch (BadResponseException e) {
            fail(r, cycle, e);
        }
    }

    private static void fail(ReadRequest r, Cycle cycle, DeviceException e) {
        PointValue invalid = new PointValue.Invalid(e.getMessage());
        for (int i = 0; i < r.points().size(); i++) {
            cycle.put(r, i, invalid);
        }
        cycle.next.add(r);
        if (cycle.firstFailure == null) {
            cycle.firstFailure = e;
        }
    }

    /**
     * The next smaller plan for a refused request: its contiguous runs if it spans gaps, else one request per
     * point; null when it cannot be divided (one point, or points sharing the same registers).
     */
    private List<ReadRequest> split(ReadRequest r) {
        List<ReadRequest> runs = new ReadPlanner(limits.contiguousOnly()).plan(r.points()).requests();
        if (runs.size() > 1) {
            return runs;
        }
        boolean divisible = r.points().stream().anyMatch(p -> ((ModbusAddress) p.address()).size() < r.count());
        if (!divisible) {
            return null;
        }
        // Bits of one register (or one coil) stay together: re-reading the same register per bit gains nothing.
        Map<String, List<Point>> byRange = new LinkedHashMap<>();
        for (Point p : r.points()) {
            ModbusAddress a = (ModbusAddress) p.address();
            byRange.computeIfAbsent(a.address() + "+" + a.size(), k -> new ArrayList<>()).add(p);
        }
        List<ReadRequest> out = new ArrayList<>();
        for (List<Point> group : byRange.values()) {
            ModbusAddress a = (ModbusAddress) group.get(0).address();
            out.add(new ReadRequest(a.table(), a.address(), a.size(), group));
        }
        return out;
    }

    private List<ReadRequest> initialPlan(List<Point> points) {
        List<Point> readable = points.stream().filter(p -> !unreadable.containsKey(p)).distinct().toList();
        return readable.isEmpty() ? List.of() : planner.plan(readable).requests();
    }

    /**
     * The requests the next {@link #read} of {@code points} will send: what was learned about this device
     * included, the points it refuses left out.
     */
    public ReadPlan plan(List<Point> points) {
        lock.lock();
        try {
            PlanSlot learned = plans.get(List.copyOf(points));
            return new ReadPlan(learned != null ? learned.requests : initialPlan(points));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Points this device refused on their own, with the reason; they read as Invalid without being asked for.
     * Does not wait for a read in progress.
     */
    public Map<Point, String> unreadable() {
        return unreadableView;
    }

    /**
     * Forgets re-planned requests and refused points: the next read starts from the profile's plan again. Happens
     * by itself once the re-probe period is over ({@link #reprobeIn()}).
     */
    public void forgetLearned() {
        lock.lock();
        try {
            plans.clear();
            unreadable.clear();
            unreadableView = Map.of();
            lastSlot = null;
            learnedAtNanos = 0;
            confirming.clear();
        } finally {
            lock.unlock();
        }
    }

    /** The period is over: ask again, and wait twice as long next time unless a refused point reads meanwhile. */
    private void reprobe() {
        boolean allRefused = refusesEverything();
        Set<Point> refused = new HashSet<>(unreadable.keySet());
        long next = policy.nextNanos(reprobeNanos, allRefused);
        forgetLearned();
        confirming.addAll(refused);
        reprobeNanos = next;
    }

    /** Whether every point list this device is read with is refused whole: it delivers nothing at all. */
    private boolean refusesEverything() {
        return !plans.isEmpty() && plans.values().stream().allMatch(s -> s.requests.isEmpty());
    }

    /**
     * How long until the addresses this device refused are asked again; empty while it refuses none. Does not wait
     * for a read in progress.
     */
    @Override
    public Optional<Duration> reprobeIn() {
        long learned = learnedAtNanos;
        if (learned == 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(Math.max(0, learned + reprobeNanos - System.nanoTime())));
    }

    /** For a status reason: stable between probes, so the status does not change with every poll. */
    private String reprobeNote() {
        return "address refused, re-probing every " + Math.max(1, Duration.ofNanos(reprobeNanos).toSeconds()) + " s";
    }

    /**
     * Writes a setpoint or command: function 5 for a coil, 6 for a one-register value, 16 for longer values. A bool
     * inside a holding register is read, changed and written back (function 3 then 6; not atomic: a device that
     * changes other bits of that register in between loses the change).
     *
     * @throws IllegalArgumentException for input registers and discrete inputs, which cannot be written, or a value
     *                                  that does not fit the point's type
     */
    @Override
    public void write(Point point, PointValue value) throws DeviceException {
        if (!(point.address() instanceof ModbusAddress a)) {
            throw new IllegalArgumentException(point.name() + " is not a Modbus point");
        }
        if (a.table() == Table.COIL) {
            link.writeCoil(unitId, a.address(), on(point, value));
            return;
        }
        if (a.table() != Table.HOLDING) {
            throw new IllegalArgumentException(point.name() + " is a " + a.table().configName()
                    + " point; only coils and holding registers can be written");
        }
        if (a.type() == DataType.BOOL) {
            int word = link.read(unitId, Table.HOLDING, a.address(), 1).register(a.address());
            int mask = 1 << a.bit();
            link.writeRegister(unitId, a.address(), on(point, value) ? word | mask : word & ~mask);
            return;
        }
        byte[] data = RegisterEncoder.encode(point, value);
        if (data.length == 2) {
            link.writeRegister(unitId, a.address(), ((data[0] & 0xFF) << 8) | (data[1] & 0xFF));
        } else {
            link.writeRegisters(unitId, a.address(), data);
        }
    }

    private static boolean on(Point point, PointValue value) {
        return switch (value) {
            case PointValue.Flag f -> f.on();
            case PointValue.Number n -> n.value().signum() != 0;
            default -> throw new IllegalArgumentException(point.name() + " takes on/off, not " + value);
        };
    }

    /** The link is shared with other units and owned by whoever made it: closing a meter leaves it open. */
    @Override
    public void close() {
    }
}
