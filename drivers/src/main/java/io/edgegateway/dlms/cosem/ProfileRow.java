package io.edgegateway.dlms.cosem;

import io.edgegateway.point.PointValue;

import java.time.Instant;
import java.util.List;

/**
 * One buffer entry decoded against its columns.
 *
 * @param time        the capture time in UTC (the clock column, converted with its deviation; a null-data clock
 *                    is the previous row's time plus the capture period), or null when it cannot be known
 * @param clockStatus the clock column's status byte (0x01 invalid, 0x02 doubtful, 0x04 different base, 0x08
 *                    invalid status, 0x80 daylight saving), or 0xFF when not specified
 * @param values      one value per column, in column order; a clock column as ISO-8601 text, a register scaled
 *                    by its scaler_unit in the register's own unit
 */
public record ProfileRow(Instant time, int clockStatus, List<PointValue> values) {

    public static final int STATUS_INVALID = 0x01;
    public static final int STATUS_DOUBTFUL = 0x02;
    public static final int STATUS_NOT_SPECIFIED = 0xFF;

    public ProfileRow {
        values = List.copyOf(values);
    }

    /** A row a head-end can bill from: its time is known and the meter does not call its clock invalid. */
    public boolean trustworthy() {
        return time != null && (clockStatus == STATUS_NOT_SPECIFIED || (clockStatus & STATUS_INVALID) == 0);
    }
}
