package io.edgegateway.sim.dlms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rows of a buffer as a GET sees them: the stored rows, with the profile faults applied (rows hidden by a gap,
 * a row repeated, a row changed or added by a power outage). Entry 1 is the oldest. The stored buffer itself is
 * never changed by a fault, so clearing the fault brings the meter back as it was.
 */
final class BufferView {

    private final CaptureBuffer buffer;
    /** Per entry: a stored row index (>= 0), or -(k + 1) for {@code extra.get(k)}. */
    private int[] refs = new int[16];
    private int count;
    private final List<long[]> extra = new ArrayList<>();

    BufferView(CaptureBuffer buffer) {
        this.buffer = buffer;
    }

    /** Every stored row, nothing changed. */
    static BufferView of(CaptureBuffer buffer) {
        BufferView v = new BufferView(buffer);
        for (int i = 0; i < buffer.size(); i++) {
            v.addStored(i);
        }
        return v;
    }

    void addStored(int row) {
        add(row);
    }

    void addRow(long[] row) {
        extra.add(row.clone());
        add(-extra.size());
    }

    /** Repeats the entry just added. */
    void repeatLast() {
        if (count > 0) {
            add(refs[count - 1]);
        }
    }

    private void add(int ref) {
        if (count == refs.length) {
            refs = Arrays.copyOf(refs, count * 2);
        }
        refs[count++] = ref;
    }

    int size() {
        return count;
    }

    int width() {
        return buffer.width();
    }

    /** Column {@code column} of entry {@code entry} (0-based here; the wire's entry 1 is index 0). */
    long get(int entry, int column) {
        int ref = refs[entry];
        return ref >= 0 ? buffer.get(ref, column) : extra.get(-ref - 1)[column];
    }

    /** The newest entry's value in {@code column}, or {@code otherwise} when empty. */
    long newest(int column, long otherwise) {
        return count == 0 ? otherwise : get(count - 1, column);
    }
}
