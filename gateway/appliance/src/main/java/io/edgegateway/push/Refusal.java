package io.edgegateway.push;

import io.edgegateway.dlms.push.PushRefusedException;

/** Why a pushed APDU (or frame) was not taken, as {@code /health} and {@code /metrics} name it. */
public enum Refusal {
    /** Ciphered under a system title no device is configured with. */
    UNKNOWN_SENDER("unknown-sender"),
    /** Unciphered, or ciphered without authentication. */
    UNAUTHENTICATED("unauthenticated"),
    /** The authentication tag does not verify: wrong keys or altered bytes. */
    BAD_TAG("bad-tag"),
    /** An invocation counter that did not grow. */
    REPLAY("replay"),
    /** Not a wrapper frame, not a Data-Notification, or values that do not fit the configured objects. */
    MALFORMED("malformed"),
    /** From a configured sender whose meter the hub does not know. */
    UNKNOWN_METER("unknown-meter");

    private final String label;

    Refusal(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    static Refusal of(PushRefusedException.Reason reason) {
        return switch (reason) {
            case UNKNOWN_SENDER -> UNKNOWN_SENDER;
            case UNAUTHENTICATED -> UNAUTHENTICATED;
            case BAD_TAG -> BAD_TAG;
            case REPLAY -> REPLAY;
            case MALFORMED -> MALFORMED;
        };
    }
}
