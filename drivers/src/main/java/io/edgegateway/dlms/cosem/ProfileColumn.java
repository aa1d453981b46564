package io.edgegateway.dlms.cosem;

import io.edgegateway.dlms.axdr.CosemUnit;

/**
 * A buffer column as the client decodes it: the capture object and, for a captured register value, the
 * register's scaler_unit (read once per association).
 *
 * @param unit the register's unit, or null for columns that are not register values
 */
public record ProfileColumn(CaptureObject object, int scaler, CosemUnit unit) {

    public static ProfileColumn unscaled(CaptureObject object) {
        return new ProfileColumn(object, 0, null);
    }

    /** The unit's symbol, "" when there is none. */
    public String unitSymbol() {
        return unit == null ? "" : unit.symbol();
    }
}
