package io.edgegateway.dlms.push;

import java.util.Optional;

/** A push that {@link PushDecoder} did not accept, with why. */
public final class PushRefusedException extends Exception {

    /** Why a push was refused. */
    public enum Reason {
        /** Ciphered under a system title without configured keys. */
        UNKNOWN_SENDER("unknown-sender"),
        /** Not authenticated: plain where only ciphered pushes are taken, or a security control without 0x10. */
        UNAUTHENTICATED("unauthenticated"),
        /** The authentication tag does not verify: wrong keys or altered bytes. */
        BAD_TAG("bad-tag"),
        /** The invocation counter did not grow since the sender's last accepted push. */
        REPLAY("replay"),
        /** Bytes that are not a Data-Notification as this decoder takes it. */
        MALFORMED("malformed");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        /** The reason in metrics and JSON: {@code bad-tag}. */
        public String label() {
            return label;
        }
    }

    private final Reason reason;
    private final transient SystemTitle sender;

    PushRefusedException(Reason reason, SystemTitle sender, String message) {
        super(message);
        this.reason = reason;
        this.sender = sender;
    }

    public Reason reason() {
        return reason;
    }

    /** The system title the push named, if it got that far. */
    public Optional<SystemTitle> sender() {
        return Optional.ofNullable(sender);
    }
}
