package io.edgegateway.sim.dlms;

import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.apdu.DataAccessResult;
import io.edgegateway.dlms.axdr.DataTag;
import io.edgegateway.dlms.axdr.DlmsData;
import io.edgegateway.point.CosemAddress;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.sim.model.SimulatedDevice;

import java.math.BigDecimal;
import java.util.OptionalDouble;

/**
 * The meter's load limiter: a Limiter (interface class 71, version 0) at 0.0.17.0.0.255 monitoring the total
 * active power 3/1.0.1.7.0.255/2. Its thresholds are whole watts, double-long-unsigned, as a head-end sets a load
 * limit (not in the monitored register's scaler: the simulator compares nothing, so no supply is ever cut off).
 * The value is the device model's ({@code limiter.threshold.normal}), so it outlives associations, connections and
 * restarts, and a frozen device shows a SET at once.
 *
 * <p>threshold_normal (4) takes a SET of a double-long-unsigned within 0..{@value #MAX_THRESHOLD} from an LLS or
 * HLS association; threshold_active (3) follows it (no emergency profile is modelled); every other attribute is
 * read only.
 */
final class Limiter {

    static final int CLASS_ID = 71;
    static final ObisCode OBIS = new ObisCode(0, 0, 17, 0, 0, 255);
    static final int ATTRIBUTES = 11;
    static final int THRESHOLD_ACTIVE = 3;
    static final int THRESHOLD_NORMAL = 4;
    /** The highest threshold the meter takes, in W; a SET above it answers other-reason. */
    static final long MAX_THRESHOLD = 100_000;
    static final String NORMAL_QUANTITY = "limiter.threshold.normal";
    private static final ObisCode MONITORED = new ObisCode(1, 0, 1, 7, 0, 255);
    /** Minimum time over or under the threshold before the limiter acts, in seconds. */
    private static final long MIN_DURATION = 60;

    private final SimulatedDevice device;
    /** The threshold in W, written through the device so that a frozen device drops the value it had cached. */
    private final Point normal = new Point("limiter threshold_normal",
            new CosemAddress(CLASS_ID, OBIS, THRESHOLD_NORMAL), null, 0, "W", null, null, null, NORMAL_QUANTITY);

    Limiter(SimulatedDevice device) {
        this.device = device;
    }

    /** Whether the device's model has a limiter (a meter has, the tank process has not). */
    boolean present() {
        return threshold().isPresent();
    }

    private OptionalDouble threshold() {
        return device.model().value(NORMAL_QUANTITY);
    }

    /** An attribute's value, or null for one the object does not have. */
    DlmsData get(int attribute) {
        OptionalDouble t = threshold();
        if (t.isEmpty()) {
            return null;
        }
        DlmsData watts = DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, Math.round(t.getAsDouble()));
        return switch (attribute) {
            case 1 -> new DlmsData.OctetString(OBIS.toBytes());
            // monitored_value: class_id, logical_name, attribute_index
            case 2 -> DlmsData.Structure.of(DlmsData.Int.of(DataTag.LONG_UNSIGNED, 3),
                    new DlmsData.OctetString(MONITORED.toBytes()), DlmsData.Int.of(DataTag.INTEGER, 2));
            case THRESHOLD_ACTIVE, THRESHOLD_NORMAL -> watts;
            case 5 -> DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, 0); // threshold_emergency: never in force
            case 6, 7 -> DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, MIN_DURATION);
            // emergency_profile: id 0, activation time not specified, duration 0
            case 8 -> DlmsData.Structure.of(DlmsData.Int.of(DataTag.LONG_UNSIGNED, 0),
                    new DlmsData.OctetString(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                            (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x80, 0x00,
                            (byte) 0xFF}),
                    DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, 0));
            case 9 -> new DlmsData.Array(java.util.List.of()); // emergency_profile_group_id_list
            case 10 -> new DlmsData.Bool(false);                // emergency_profile_active
            // actions over and under the threshold: no script (logical name 0.0.0.0.0.0, selector 0)
            case 11 -> DlmsData.Structure.of(noAction(), noAction());
            default -> null;
        };
    }

    private static DlmsData noAction() {
        return DlmsData.Structure.of(new DlmsData.OctetString(new byte[6]), DlmsData.Int.of(DataTag.LONG_UNSIGNED, 0));
    }

    /**
     * A SET from an association that may write ({@code mayWrite}): threshold_normal only, as a double-long-unsigned
     * (another type is type-unmatched) within 0..{@value #MAX_THRESHOLD} (above is other-reason).
     */
    DataAccessResult set(int attribute, DlmsData value, boolean mayWrite) {
        if (get(attribute) == null) {
            return DataAccessResult.OBJECT_UNDEFINED;
        }
        if (attribute != THRESHOLD_NORMAL || !mayWrite) {
            return DataAccessResult.READ_WRITE_DENIED;
        }
        if (!(value instanceof DlmsData.Int i) || i.type() != DataTag.DOUBLE_LONG_UNSIGNED) {
            return DataAccessResult.TYPE_UNMATCHED;
        }
        if (i.value() > MAX_THRESHOLD) {
            return DataAccessResult.OTHER_REASON;
        }
        device.write(normal, new PointValue.Number(BigDecimal.valueOf(i.value())));
        return DataAccessResult.SUCCESS;
    }

    /** Whether an association that may write may write this attribute (for the object list's access rights). */
    static boolean writable(int attribute) {
        return attribute == THRESHOLD_NORMAL;
    }
}
