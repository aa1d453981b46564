package io.edgegateway.dlms.apdu;

import io.edgegateway.dlms.axdr.AxdrReader;

/**
 * confirmedServiceError: how a server refuses an InitiateRequest (in the AARE user-information) or a service.
 *
 * @param service      1 = initiateError, 2 = getStatus ... (ConfirmedServiceError CHOICE)
 * @param errorType    ServiceError CHOICE: 6 = initiate, 0 = application-reference ...
 * @param errorValue   the enum inside, e.g. for initiate: 1 dlms-version-too-low, 2 incompatible-conformance,
 *                     3 pdu-size-too-short, 4 refused-by-the-VDE-Handler
 */
public record ConfirmedServiceError(int service, int errorType, int errorValue) implements Apdu {

    public static final int TAG = 0x0E;

    public static ConfirmedServiceError initiateError(int value) {
        return new ConfirmedServiceError(1, 6, value);
    }

    @Override
    public byte[] encode() {
        return new byte[] {TAG, (byte) service, (byte) errorType, (byte) errorValue};
    }

    static ConfirmedServiceError decode(byte[] b) {
        AxdrReader r = new AxdrReader(b);
        r.u8();
        return new ConfirmedServiceError(r.u8(), r.u8(), r.u8());
    }

    public String describe() {
        if (errorType == 6) {
            return "initiate error: " + switch (errorValue) {
                case 1 -> "dlms-version-too-low";
                case 2 -> "incompatible-conformance";
                case 3 -> "pdu-size-too-short";
                case 4 -> "refused-by-the-VDE-Handler";
                default -> "other (" + errorValue + ")";
            };
        }
        return "service error type " + errorType + " value " + errorValue;
    }
}
