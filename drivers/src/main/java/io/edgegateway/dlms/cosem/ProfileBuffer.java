package io.edgegateway.dlms.cosem;

import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.axdr.CosemDateTime;
import io.edgegateway.dlms.axdr.DlmsData;
import io.edgegateway.point.PointValue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a Profile Generic buffer (an array of structures, one element per column) against its columns.
 */
public final class ProfileBuffer {

    private ProfileBuffer() {
    }

    /**
     * @param buffer  attribute 2 as the meter sent it
     * @param columns the columns the rows carry (the selected ones when the request selected columns)
     * @param period  capture_period, for rows whose clock is null-data (compressed profiles); zero if none
     * @throws MalformedException when the buffer is not an array of structures of the columns' width
     */
    public static List<ProfileRow> decode(DlmsData buffer, List<ProfileColumn> columns, Duration period) {
        if (!(buffer instanceof DlmsData.Array rows)) {
            throw new MalformedException("a profile buffer is an array, got " + buffer.tag().asn1Name());
        }
        List<ProfileRow> out = new ArrayList<>(rows.elements().size());
        Instant previous = null;
        for (DlmsData r : rows.elements()) {
            if (!(r instanceof DlmsData.Structure s) || s.elements().size() != columns.size()) {
                throw new MalformedException("a buffer row has " + columns.size() + " columns, got " + r);
            }
            Instant time = null;
            int status = ProfileRow.STATUS_NOT_SPECIFIED;
            boolean clockSeen = false;
            List<PointValue> values = new ArrayList<>(columns.size());
            for (int i = 0; i < columns.size(); i++) {
                ProfileColumn c = columns.get(i);
                DlmsData d = s.elements().get(i);
                if (c.object().isClock() && !clockSeen) {
                    clockSeen = true;
                    CosemDateTime t = dateTime(d);
                    if (t != null) {
                        status = t.clockStatus();
                        try {
                            time = t.toInstant();
                        } catch (MalformedException e) {
                            time = null; // a wildcard date: the row cannot be placed
                        }
                    } else if (previous != null && !period.isZero()) {
                        time = previous.plus(period);
                    }
                    values.add(time == null ? new PointValue.Invalid("capture time not specified")
                            : new PointValue.Text(time.toString()));
                    continue;
                }
                values.add(value(c, d));
            }
            out.add(new ProfileRow(time, status, values));
            if (time != null) {
                previous = time;
            }
        }
        return out;
    }

    private static CosemDateTime dateTime(DlmsData d) {
        if (d instanceof DlmsData.Null) {
            return null;
        }
        return CosemDateTime.fromData(d)
                .orElseThrow(() -> new MalformedException("a clock column holds a " + d.tag().asn1Name()));
    }

    private static PointValue value(ProfileColumn c, DlmsData d) {
        BigDecimal raw = switch (d) {
            case DlmsData.Int i -> i.decimal();
            case DlmsData.Float32 f when Float.isFinite(f.value()) -> new BigDecimal(Float.toString(f.value()));
            case DlmsData.Float64 f when Double.isFinite(f.value()) -> new BigDecimal(Double.toString(f.value()));
            default -> null;
        };
        if (raw == null) {
            return switch (d) {
                case DlmsData.Bool b -> new PointValue.Flag(b.value());
                case DlmsData.VisibleString v -> new PointValue.Text(v.value());
                case DlmsData.Utf8String v -> new PointValue.Text(v.value());
                case DlmsData.Null n -> new PointValue.Invalid("null-data");
                default -> new PointValue.Invalid("a " + d.tag().asn1Name() + " in column " + c.object());
            };
        }
        BigDecimal v = raw.scaleByPowerOfTen(c.scaler());
        return new PointValue.Number(v.scale() < 0 ? v.setScale(0) : v);
    }
}
