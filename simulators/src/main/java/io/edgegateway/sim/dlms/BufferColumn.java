package io.edgegateway.sim.dlms;

import io.edgegateway.dlms.axdr.DataTag;
import io.edgegateway.dlms.axdr.DlmsData;
import io.edgegateway.dlms.cosem.CaptureObject;
import io.edgegateway.point.Point;

import java.time.Instant;

/**
 * One column of a simulated Profile Generic buffer: what is captured, and how a stored cell goes on the wire.
 *
 * @param object   the capture object definition (attribute 3 lists them)
 * @param type     the A-XDR type of the cell: octet-string for a clock (a date-time), unsigned for a status or an
 *                 event code, the live register's integer type for a register value
 * @param register the register point captured, or null for the clock, status and event code
 * @param encoding how that register travels (scaler, type), or null
 */
record BufferColumn(CaptureObject object, DataTag type, Point register, MeterObjects.Encoding encoding) {

    /** The stored value of a register that had no number to capture: sent as null-data. */
    static final long NO_VALUE = Long.MIN_VALUE;

    static BufferColumn clock() {
        return new BufferColumn(CaptureObject.clock(), DataTag.OCTET_STRING, null, null);
    }

    static BufferColumn unsigned(CaptureObject object) {
        return new BufferColumn(object, DataTag.UNSIGNED, null, null);
    }

    static BufferColumn register(Point p, MeterObjects.Encoding e) {
        io.edgegateway.point.CosemAddress a = (io.edgegateway.point.CosemAddress) p.address();
        return new BufferColumn(new CaptureObject(a.classId(), a.obis(), 2, 0), e.type(), p, e);
    }

    boolean isClock() {
        return object.isClock();
    }

    /** A stored cell as the meter sends it: epoch seconds as local date-time, a raw register as its integer. */
    DlmsData encode(long cell, MeterClock clock) {
        if (isClock()) {
            return clock.dateTime(Instant.ofEpochSecond(cell)).toData();
        }
        if (cell == NO_VALUE) {
            return DlmsData.Null.INSTANCE;
        }
        if (register == null) {
            return DlmsData.Int.of(type, cell);
        }
        return MeterObjects.integer(type, cell);
    }
}
