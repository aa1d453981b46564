package io.edgegateway.dlms.apdu;

import io.edgegateway.dlms.axdr.AxdrReader;

/**
 * EXCEPTION-Response (tag 0xD8): the server could not even process the request.
 *
 * @param stateError   1 service-not-allowed, 2 service-unknown
 * @param serviceError 1 operation-not-possible, 2 service-not-supported, 3 other-reason, 4 pdu-too-long,
 *                     5 deciphering-error, 6 invocation-counter-error
 */
public record ExceptionResponse(int stateError, int serviceError) implements Apdu {

    public static final int TAG = 0xD8;
    public static final int SERVICE_NOT_ALLOWED = 1;
    public static final int SERVICE_UNKNOWN = 2;
    public static final int OPERATION_NOT_POSSIBLE = 1;
    public static final int SERVICE_NOT_SUPPORTED = 2;
    public static final int OTHER_REASON = 3;
    public static final int PDU_TOO_LONG = 4;
    public static final int DECIPHERING_ERROR = 5;
    public static final int INVOCATION_COUNTER_ERROR = 6;

    @Override
    public byte[] encode() {
        return new byte[] {(byte) TAG, (byte) stateError, (byte) serviceError};
    }

    static ExceptionResponse decode(byte[] b) {
        AxdrReader r = new AxdrReader(b);
        r.u8();
        int state = r.u8();
        int service = r.hasRemaining() ? r.u8() : 0;
        return new ExceptionResponse(state, service);
    }

    public String describe() {
        String s = switch (stateError) {
            case 1 -> "service-not-allowed";
            case 2 -> "service-unknown";
            default -> "state-error " + stateError;
        };
        String e = switch (serviceError) {
            case 1 -> "operation-not-possible";
            case 2 -> "service-not-supported";
            case 3 -> "other-reason";
            case 4 -> "pdu-too-long";
            case 5 -> "deciphering-error";
            case 6 -> "invocation-counter-error";
            default -> "service-error " + serviceError;
        };
        return s + ", " + e;
    }
}
