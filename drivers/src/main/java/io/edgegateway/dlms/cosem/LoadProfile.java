package io.edgegateway.dlms.cosem;

import io.edgegateway.dlms.ObisCode;

import java.time.Duration;
import java.util.List;

/**
 * What a read of a Profile Generic object gave: its shape and the rows asked for.
 *
 * @param columns       the columns of {@code rows}, scalers applied
 * @param capturePeriod capture_period (attribute 4); zero for an asynchronously captured profile (an event log)
 * @param sortMethod    sort_method (attribute 5): 1 FIFO, 2 LIFO, 3..6 by a column
 * @param entriesInUse  entries_in_use (attribute 7)
 * @param profileEntries profile_entries (attribute 8), the buffer's capacity
 */
public record LoadProfile(ObisCode obis, List<ProfileColumn> columns, Duration capturePeriod, int sortMethod,
                          long entriesInUse, long profileEntries, List<ProfileRow> rows) {

    public LoadProfile {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
