package io.edgegateway.device;

/**
 * The device answered with a protocol error: a Modbus exception code, a DLMS data-access-result or
 * association refusal.
 */
public final class RejectedException extends DeviceException {

    private final int code;

    /**
     * @param code the protocol's error code (Modbus exception code, DLMS data-access-result), or -1
     */
    public RejectedException(String message, int code) {
        super(message, null);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
