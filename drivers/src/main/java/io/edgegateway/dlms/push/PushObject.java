package io.edgegateway.dlms.push;

import io.edgegateway.point.CosemAddress;

import java.util.Objects;

/**
 * One entry of a meter's push_object_list as the receiver is told it: which attribute is pushed and, for a number,
 * the scaler and unit it travels with (a push carries a register's value, not its scaler_unit).
 *
 * @param address class, logical name and attribute, e.g. {@code 3/1.0.1.8.0.255/2}
 * @param scaler  the value is raw x 10^scaler
 * @param unit    the COSEM unit the value is in, without a prefix ("Wh", "V"); empty for none
 */
public record PushObject(CosemAddress address, int scaler, String unit) {

    public PushObject {
        Objects.requireNonNull(address, "address");
        if (scaler < -128 || scaler > 127) {
            throw new IllegalArgumentException("a scaler is an integer -128..127, got " + scaler);
        }
        unit = unit == null ? "" : unit.trim();
    }

    public static PushObject of(CosemAddress address) {
        return new PushObject(address, 0, "");
    }

    /**
     * The Push setup's own logical name (attribute 1 of 0.b.25.9.e.f), which a push_object_list usually starts
     * with so that the receiver can tell which push setup fired: it carries no reading.
     */
    public boolean isPushSetupName() {
        var o = address.obis();
        return address.attribute() == 1 && o.a() == 0 && o.c() == 25 && o.d() == 9;
    }

    /** As profiles write it: {@code 3/1.0.1.8.0.255/2}. */
    @Override
    public String toString() {
        return address + (scaler != 0 ? " scaler " + scaler : "") + (unit.isEmpty() ? "" : " " + unit);
    }
}
