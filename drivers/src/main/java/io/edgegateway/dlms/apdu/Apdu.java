package io.edgegateway.dlms.apdu;

import io.edgegateway.dlms.MalformedException;

/** Any APDU this stack sends or receives. */
public sealed interface Apdu permits Aarq, Aare, ReleaseRequest, ReleaseResponse, GetRequest, GetResponse,
        SetRequest, SetResponse, ActionRequest, ActionResponse, ActionBlockRequest, ActionBlockResponse,
        ExceptionResponse, ConfirmedServiceError, CipheredApdu {

    byte[] encode();

    /** Decodes by the first byte; ciphered APDUs come back as {@link CipheredApdu}, still to be deciphered. */
    static Apdu decode(byte[] b) {
        if (b.length == 0) {
            throw new MalformedException("empty APDU");
        }
        int tag = b[0] & 0xFF;
        return switch (tag) {
            case 0x60 -> Aarq.decode(b);
            case 0x61 -> Aare.decode(b);
            case 0x62 -> ReleaseRequest.decode(b);
            case 0x63 -> ReleaseResponse.decode(b);
            case 0xC0 -> GetRequest.decode(b);
            case 0xC4 -> GetResponse.decode(b);
            case 0xC1 -> SetRequest.decode(b);
            case 0xC5 -> SetResponse.decode(b);
            case 0xC3 -> b.length > 1 && b[1] == 1 ? ActionRequest.decode(b) : ActionBlockRequest.decode(b);
            case 0xC7 -> b.length > 1 && b[1] == 1 ? ActionResponse.decode(b) : ActionBlockResponse.decode(b);
            case 0xD8 -> ExceptionResponse.decode(b);
            case 0x0E -> ConfirmedServiceError.decode(b);
            default -> {
                if (CipheredApdu.isCipheredTag(tag)) {
                    yield CipheredApdu.decode(b);
                }
                throw new MalformedException("unknown or unsupported APDU tag 0x" + Integer.toHexString(tag));
            }
        };
    }

    /** A short name for messages, e.g. {@code get-response}. */
    default String kind() {
        return switch (this) {
            case Aarq a -> "AARQ";
            case Aare a -> "AARE";
            case ReleaseRequest r -> "RLRQ";
            case ReleaseResponse r -> "RLRE";
            case GetRequest g -> "get-request";
            case GetResponse g -> "get-response";
            case SetRequest s -> "set-request";
            case SetResponse s -> "set-response";
            case ActionRequest a -> "action-request";
            case ActionResponse a -> "action-response";
            case ActionBlockRequest a -> "action-request (blocks)";
            case ActionBlockResponse a -> "action-response (blocks)";
            case ExceptionResponse e -> "exception-response";
            case ConfirmedServiceError e -> "confirmed-service-error";
            case CipheredApdu c -> "ciphered APDU 0x" + Integer.toHexString(c.tag());
        };
    }
}
