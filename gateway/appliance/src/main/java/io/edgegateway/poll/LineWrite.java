package io.edgegateway.poll;

import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One write waiting for its bus thread: it runs before the next poll or line task, never beside one. Until the
 * bus thread takes it, the caller may {@link #withdraw} it (it waited too long); once taken it runs to the end,
 * each exchange bounded by the line's own deadlines.
 */
public final class LineWrite {

    /**
     * What the device held before and after.
     *
     * @param before the point read just before the write; an {@link PointValue.Invalid} when it could not be read
     * @param after  the point read back after the write
     */
    public record Done(PointValue before, PointValue after) {
    }

    private final PolledDevice device;
    private final Point point;
    private final PointValue value;
    private final CompletableFuture<Done> result = new CompletableFuture<>();
    private final AtomicBoolean taken = new AtomicBoolean();

    LineWrite(PolledDevice device, Point point, PointValue value) {
        this.device = device;
        this.point = point;
        this.value = value;
    }

    PolledDevice device() {
        return device;
    }

    Point point() {
        return point;
    }

    PointValue value() {
        return value;
    }

    /** Completes with what the device holds, or exceptionally with its {@code DeviceException}. */
    public CompletableFuture<Done> result() {
        return result;
    }

    /** True when the bus thread had not taken it yet: it will not run. */
    public boolean withdraw() {
        return taken.compareAndSet(false, true);
    }

    /** The bus thread's claim; false when the caller withdrew it. */
    boolean take() {
        return taken.compareAndSet(false, true);
    }
}
