package io.edgegateway.dlms.cosem;

import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.apdu.AccessSelection;
import io.edgegateway.dlms.axdr.CosemDateTime;
import io.edgegateway.dlms.axdr.DataTag;
import io.edgegateway.dlms.axdr.DlmsData;

import java.util.List;

/**
 * Which rows of a Profile Generic buffer (attribute 2) a GET asks for: the two access selectors of class 7.
 */
public sealed interface BufferSelection {

    /** Access selector 1. */
    int BY_RANGE = 1;
    /** Access selector 2. */
    int BY_ENTRY = 2;

    AccessSelection toAccess();

    /**
     * range_descriptor: the rows whose {@code restricting} column lies in [from, to], with the columns
     * {@code selected} (all when empty).
     */
    record ByRange(CaptureObject restricting, DlmsData from, DlmsData to, List<CaptureObject> selected)
            implements BufferSelection {

        public ByRange {
            selected = List.copyOf(selected);
        }

        /** Rows captured from {@code from} to {@code to} by the clock column, every column. */
        public static ByRange ofClock(CosemDateTime from, CosemDateTime to) {
            return new ByRange(CaptureObject.clock(), from.toData(), to.toData(), List.of());
        }

        @Override
        public AccessSelection toAccess() {
            return new AccessSelection(BY_RANGE, DlmsData.Structure.of(restricting.toData(), from, to,
                    CaptureObject.listToData(selected)));
        }

        /** The range's bounds as date-times, when the restricting column is a clock. */
        public CosemDateTime fromTime() {
            return time(from);
        }

        public CosemDateTime toTime() {
            return time(to);
        }

        private static CosemDateTime time(DlmsData d) {
            return CosemDateTime.fromData(d)
                    .orElseThrow(() -> new MalformedException("a range bound is not a date-time: " + d));
        }
    }

    /**
     * entry_descriptor: rows {@code fromEntry}..{@code toEntry} (1 = the oldest; toEntry 0 = the newest) and
     * columns {@code fromColumn}..{@code toColumn} (1-based; toColumn 0 = the last).
     */
    record ByEntry(long fromEntry, long toEntry, int fromColumn, int toColumn) implements BufferSelection {

        public ByEntry {
            if (fromEntry < 1 || fromEntry > 0xFFFF_FFFFL || toEntry < 0 || toEntry > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("entries " + fromEntry + ".." + toEntry + " out of range");
            }
            if (fromColumn < 1 || fromColumn > 0xFFFF || toColumn < 0 || toColumn > 0xFFFF) {
                throw new IllegalArgumentException("columns " + fromColumn + ".." + toColumn + " out of range");
            }
        }

        @Override
        public AccessSelection toAccess() {
            return new AccessSelection(BY_ENTRY, DlmsData.Structure.of(
                    DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, fromEntry),
                    DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, toEntry),
                    DlmsData.Int.of(DataTag.LONG_UNSIGNED, fromColumn),
                    DlmsData.Int.of(DataTag.LONG_UNSIGNED, toColumn)));
        }
    }

    /**
     * Reads a request's access selection.
     *
     * @throws MalformedException for another selector or parameters of the wrong shape
     */
    static BufferSelection of(AccessSelection a) {
        if (!(a.parameters() instanceof DlmsData.Structure s)) {
            throw new MalformedException("access parameters are not a structure: " + a.parameters());
        }
        List<DlmsData> e = s.elements();
        return switch (a.selector()) {
            case BY_RANGE -> {
                if (e.size() != 4) {
                    throw new MalformedException("range_descriptor has 4 elements, got " + e.size());
                }
                yield new ByRange(CaptureObject.fromData(e.get(0)), e.get(1), e.get(2),
                        CaptureObject.listFromData(e.get(3)));
            }
            case BY_ENTRY -> {
                if (e.size() != 4 || !(e.get(0) instanceof DlmsData.Int from) || !(e.get(1) instanceof DlmsData.Int to)
                        || !(e.get(2) instanceof DlmsData.Int fromCol) || !(e.get(3) instanceof DlmsData.Int toCol)) {
                    throw new MalformedException("entry_descriptor is four integers, got " + s);
                }
                try {
                    yield new ByEntry(from.value(), to.value(), (int) fromCol.value(), (int) toCol.value());
                } catch (IllegalArgumentException x) {
                    throw new MalformedException(x.getMessage());
                }
            }
            default -> throw new MalformedException("Profile Generic has access selectors 1 and 2, not "
                    + a.selector());
        };
    }
}
