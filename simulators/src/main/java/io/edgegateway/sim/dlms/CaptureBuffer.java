package io.edgegateway.sim.dlms;

/**
 * A Profile Generic buffer as the meter keeps it: a FIFO ring of rows, each {@code width} longs in one primitive
 * array (a clock column holds epoch seconds, a register its raw integer). Row 0 is the oldest; when the buffer is
 * full, adding drops the oldest row. Not thread-safe: {@link MeterProfiles} guards it.
 */
final class CaptureBuffer {

    private final int width;
    private final int capacity;
    private long[] cells;
    private int first;
    private int size;

    CaptureBuffer(int width, int capacity) {
        if (width < 1 || capacity < 1) {
            throw new IllegalArgumentException("a buffer needs columns and room for a row");
        }
        this.width = width;
        this.capacity = capacity;
        this.cells = new long[Math.min(capacity, 64) * width];
    }

    int width() {
        return width;
    }

    int capacity() {
        return capacity;
    }

    int size() {
        return size;
    }

    /** Appends a row of {@code width} values, dropping the oldest when full. */
    void add(long... row) {
        if (row.length != width) {
            throw new IllegalArgumentException("a row has " + width + " columns, got " + row.length);
        }
        if (size < capacity && (size + 1) * width > cells.length) {
            grow();
        }
        int slot;
        if (size < capacity) {
            slot = (first + size) % slots();
            size++;
        } else {
            slot = first;
            first = (first + 1) % slots();
        }
        System.arraycopy(row, 0, cells, slot * width, width);
    }

    /** Column {@code column} of row {@code row} (0 = the oldest). */
    long get(int row, int column) {
        if (row < 0 || row >= size) {
            throw new IndexOutOfBoundsException("row " + row + " of " + size);
        }
        return cells[((first + row) % slots()) * width + column];
    }

    /** The newest row's value in {@code column}, or {@code otherwise} when empty. */
    long newest(int column, long otherwise) {
        return size == 0 ? otherwise : get(size - 1, column);
    }

    private int slots() {
        return cells.length / width;
    }

    // Grows by doubling up to the capacity; the ring is unrolled so that row 0 sits in slot 0 again.
    private void grow() {
        int slots = Math.min(capacity, Math.max(1, slots()) * 2);
        long[] bigger = new long[slots * width];
        for (int r = 0; r < size; r++) {
            System.arraycopy(cells, ((first + r) % slots()) * width, bigger, r * width, width);
        }
        cells = bigger;
        first = 0;
    }
}
