package io.edgegateway.device;

/**
 * A value the driver will not send, found only once it knows what the device holds (the attribute's type and
 * scaler, say): nothing reached the device. It is the caller's value that is wrong, not the device.
 */
public final class UnsuitableValueException extends IllegalArgumentException {

    /** Why the value cannot be sent, as the write API names it. */
    public enum Reason {
        /** Beyond what the attribute's type holds. */
        OUT_OF_RANGE("out-of-range"),
        /** Finer than the attribute's scaler can carry. */
        OFF_STEP("off-step"),
        /** The attribute holds no number. */
        WRONG_TYPE("wrong-type"),
        /** The device's unit cannot be converted to the point's. */
        UNIT_MISMATCH("unit-mismatch");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public UnsuitableValueException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
