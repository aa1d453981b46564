package io.edgegateway.sim.dlms;

import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.apdu.AccessSelection;
import io.edgegateway.dlms.apdu.DataAccessResult;
import io.edgegateway.dlms.apdu.GetResult;
import io.edgegateway.dlms.axdr.CosemDateTime;
import io.edgegateway.dlms.axdr.DataTag;
import io.edgegateway.dlms.axdr.DlmsData;
import io.edgegateway.dlms.cosem.BufferSelection;
import io.edgegateway.dlms.cosem.CaptureObject;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * One Profile Generic (class 7, version 1) object of the simulated meter: its columns, capture period, FIFO buffer
 * and the next capture boundary. Attributes: 1 logical_name, 2 buffer (whole, or selected by range or by entry),
 * 3 capture_objects, 4 capture_period, 5 sort_method (FIFO), 6 sort_object (the clock), 7 entries_in_use,
 * 8 profile_entries. Not thread-safe: {@link MeterProfiles} guards it.
 */
final class ProfileGeneric {

    static final int CLASS_ID = 7;
    static final int ATTRIBUTES = 8;
    private static final int FIFO = 1;

    private final ObisCode obis;
    private final List<BufferColumn> columns;
    private final long period;
    private final CaptureBuffer buffer;
    /** Epoch second (meter time) of the next capture; unused when asynchronous. */
    long nextCapture;
    /** Status bits for the next row (clock adjusted after a SET of the clock). */
    long pendingStatus;

    ProfileGeneric(ObisCode obis, List<BufferColumn> columns, long periodSeconds, int capacity) {
        this.obis = obis;
        this.columns = List.copyOf(columns);
        this.period = periodSeconds;
        this.buffer = new CaptureBuffer(columns.size(), capacity);
    }

    ObisCode obis() {
        return obis;
    }

    List<BufferColumn> columns() {
        return columns;
    }

    /** Capture period in seconds; 0 for an asynchronous profile (an event log). */
    long period() {
        return period;
    }

    boolean periodic() {
        return period > 0;
    }

    CaptureBuffer buffer() {
        return buffer;
    }

    /** The column index of {@code object}, or -1. */
    int column(CaptureObject object) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).object().equals(object)) {
                return i;
            }
        }
        return -1;
    }

    /** Any attribute but the buffer, as the meter has it; null for attributes class 7 does not have. */
    DlmsData attribute(int attribute, BufferView rows) {
        return switch (attribute) {
            case 1 -> new DlmsData.OctetString(obis.toBytes());
            case 3 -> CaptureObject.listToData(columns.stream().map(BufferColumn::object).toList());
            case 4 -> DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, period);
            case 5 -> DlmsData.Int.of(DataTag.ENUM, FIFO);
            case 6 -> CaptureObject.clock().toData();
            case 7 -> DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, rows.size());
            case 8 -> DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, buffer.capacity());
            default -> null;
        };
    }

    /**
     * The buffer (attribute 2): every row without selective access, else the rows and columns of a
     * range_descriptor (selector 1, restricted by the clock column) or an entry_descriptor (selector 2). Another
     * selector, another restricting column or a malformed descriptor answers other-reason.
     */
    GetResult buffer(AccessSelection access, BufferView rows, MeterClock clock) {
        if (access == null) {
            return new GetResult.Value(encode(rows, 0, rows.size(), allColumns(), clock));
        }
        BufferSelection selection;
        try {
            selection = BufferSelection.of(access);
        } catch (MalformedException e) {
            return new GetResult.Failure(DataAccessResult.OTHER_REASON);
        }
        try {
            return new GetResult.Value(switch (selection) {
                case BufferSelection.ByRange r -> byRange(r, rows, clock);
                case BufferSelection.ByEntry e -> byEntry(e, rows, clock);
            });
        } catch (MalformedException e) {
            return new GetResult.Failure(DataAccessResult.OTHER_REASON);
        }
    }

    private DlmsData byRange(BufferSelection.ByRange r, BufferView rows, MeterClock clock) {
        int restricting = column(r.restricting());
        if (restricting < 0 || !columns.get(restricting).isClock()) {
            throw new MalformedException("only the clock column restricts a range: " + r.restricting());
        }
        Instant from = bound(r.from(), false, clock.deviation());
        Instant to = bound(r.to(), true, clock.deviation());
        int[] selected = allColumns();
        if (!r.selected().isEmpty()) {
            selected = new int[r.selected().size()];
            for (int i = 0; i < selected.length; i++) {
                selected[i] = column(r.selected().get(i));
                if (selected[i] < 0) {
                    throw new MalformedException("not a column: " + r.selected().get(i));
                }
            }
        }
        List<DlmsData> out = new ArrayList<>();
        for (int e = 0; e < rows.size(); e++) {
            Instant t = Instant.ofEpochSecond(rows.get(e, restricting));
            if (!t.isBefore(from) && !t.isAfter(to)) {
                out.add(row(rows, e, selected, clock));
            }
        }
        return new DlmsData.Array(out);
    }

    private DlmsData byEntry(BufferSelection.ByEntry e, BufferView rows, MeterClock clock) {
        long last = e.toEntry() == 0 ? rows.size() : Math.min(e.toEntry(), rows.size());
        int width = columns.size();
        int toColumn = e.toColumn() == 0 ? width : Math.min(e.toColumn(), width);
        if (e.fromColumn() > toColumn) {
            throw new MalformedException("columns " + e.fromColumn() + ".." + e.toColumn() + " of " + width);
        }
        int[] selected = new int[toColumn - e.fromColumn() + 1];
        for (int i = 0; i < selected.length; i++) {
            selected[i] = e.fromColumn() - 1 + i;
        }
        if (e.fromEntry() > last) {
            return new DlmsData.Array(List.of()); // past the end: no rows
        }
        return encode(rows, (int) (e.fromEntry() - 1), (int) last, selected, clock);
    }

    private DlmsData encode(BufferView rows, int from, int to, int[] selected, MeterClock clock) {
        List<DlmsData> out = new ArrayList<>(Math.max(0, to - from));
        for (int e = from; e < to; e++) {
            out.add(row(rows, e, selected, clock));
        }
        return new DlmsData.Array(out);
    }

    private DlmsData row(BufferView rows, int entry, int[] selected, MeterClock clock) {
        List<DlmsData> cells = new ArrayList<>(selected.length);
        for (int c : selected) {
            cells.add(columns.get(c).encode(rows.get(entry, c), clock));
        }
        return new DlmsData.Structure(cells);
    }

    private int[] allColumns() {
        int[] all = new int[columns.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }

    /**
     * A range bound as an instant. Wildcards (0xFF) in the time fields stand for the lowest value in a lower
     * bound and the highest in an upper one; day of week and clock status are ignored; a deviation not specified
     * is the meter's own. A wildcard in the date cannot be placed and is refused.
     */
    static Instant bound(DlmsData d, boolean upper, int meterDeviation) {
        CosemDateTime t = CosemDateTime.fromData(d)
                .orElseThrow(() -> new MalformedException("a range bound is not a date-time: " + d));
        if (t.year() == CosemDateTime.YEAR_NOT_SPECIFIED || t.month() > 12 || t.day() > 31) {
            throw new MalformedException("a range bound without a full date: " + t);
        }
        int hour = field(t.hour(), 23, upper);
        int minute = field(t.minute(), 59, upper);
        int second = field(t.second(), 59, upper);
        int hundredths = field(t.hundredths(), 99, upper);
        int deviation = t.deviation() == CosemDateTime.DEVIATION_NOT_SPECIFIED ? meterDeviation : t.deviation();
        try {
            return LocalDateTime.of(t.year(), t.month(), t.day(), hour, minute, second, hundredths * 10_000_000)
                    .toInstant(ZoneOffset.ofTotalSeconds(-deviation * 60));
        } catch (DateTimeException e) {
            throw new MalformedException("not a date-time: " + e.getMessage());
        }
    }

    private static int field(int value, int max, boolean upper) {
        if (value == CosemDateTime.NOT_SPECIFIED) {
            return upper ? max : 0;
        }
        if (value > max) {
            throw new MalformedException("a time field of " + value);
        }
        return value;
    }
}
