package io.edgegateway.dlms.push;

import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.push.PushRefusedException.Reason;
import io.edgegateway.dlms.security.Ciphering;
import io.edgegateway.dlms.security.CipheringException;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes the bytes of one pushed APDU and gives the Data-Notification and who sent it, or refuses it. A ciphered push
 * (general-glo-ciphering) is deciphered with the keys of the system title it names, the sender's own: the IV is that
 * title and the push's invocation counter. It must be authenticated, and its counter must be above the last one
 * accepted from the same sender, so a recorded push replayed later is refused.
 *
 * <p>Thread-safe: connections from several meters decode at once. The last counters live in memory only, one per
 * configured sender; a restart accepts the next push of each sender whatever its counter.
 */
public final class PushDecoder {

    private static final int KEY_SET_BROADCAST = 0x40;
    private static final int COMPRESSED = 0x80;

    /** Below every counter (they are unsigned 32-bit): nothing accepted yet. */
    private static final long NONE = -1;

    private final PushKeys keys;
    private final boolean acceptPlain;
    /** One entry per configured sender at most: unknown senders are refused before they get one. */
    private final Map<SystemTitle, AtomicLong> lastCounters = new ConcurrentHashMap<>();

    /**
     * @param keys        who may push, and their keys
     * @param acceptPlain whether an unciphered Data-Notification (tag 0x0F, no sender) is taken; only for a meter
     *                    set up without keys, since anyone who can reach the port could send one
     */
    public PushDecoder(PushKeys keys, boolean acceptPlain) {
        this.keys = keys;
        this.acceptPlain = acceptPlain;
    }

    public Push decode(byte[] apdu) throws PushRefusedException {
        if (apdu.length == 0) {
            throw refuse(Reason.MALFORMED, null, "an empty APDU");
        }
        int tag = apdu[0] & 0xFF;
        if (tag == DataNotification.TAG) {
            if (!acceptPlain) {
                throw refuse(Reason.UNAUTHENTICATED, null, "an unciphered Data-Notification, which names no sender and"
                        + " proves nothing; pushes are taken ciphered (general-glo-ciphering) only");
            }
            return new Push(notification(apdu, null), Optional.empty(), -1);
        }
        if (!GeneralCiphering.isGeneralCipheringTag(tag)) {
            throw refuse(Reason.MALFORMED, null, "APDU tag 0x" + hex(tag) + " is neither a Data-Notification (0F) nor"
                    + " general-glo-ciphering (DB)");
        }
        GeneralCiphering g;
        try {
            g = GeneralCiphering.decode(apdu);
        } catch (MalformedException e) {
            throw refuse(Reason.MALFORMED, null, e.getMessage());
        }
        SystemTitle sender = g.systemTitle();
        Ciphering c = keys.of(sender).orElseThrow(() -> refuse(Reason.UNKNOWN_SENDER, sender, "system title "
                + sender + " is not a configured push device"));
        if (g.dedicated()) {
            throw refuse(Reason.MALFORMED, sender, "general-ded-ciphering needs a dedicated key, which only an open"
                    + " association has; a push is taken with general-glo-ciphering");
        }
        int sc = g.securityControl();
        if ((sc & Ciphering.AUTHENTICATED) == 0) {
            throw refuse(Reason.UNAUTHENTICATED, sender, "security control 0x" + hex(sc)
                    + " without authentication (0x10)");
        }
        if ((sc & (KEY_SET_BROADCAST | COMPRESSED | 0x0F)) != 0) {
            throw refuse(Reason.MALFORMED, sender, "security control 0x" + hex(sc) + ": only suite 0 with the"
                    + " unicast key, uncompressed, is supported");
        }
        byte[] plain;
        try {
            plain = c.unprotect(sc, sender.bytes(), g.invocationCounter(), g.cipherText());
        } catch (CipheringException e) {
            throw refuse(Reason.BAD_TAG, sender, "system title " + sender + ", invocation counter "
                    + g.invocationCounter() + ": " + e.getMessage());
        }
        DataNotification n = notification(plain, sender);
        // Only a push that verified moves the counter: a forged one must not lock the meter out.
        long ic = g.invocationCounter();
        AtomicLong last = lastCounters.computeIfAbsent(sender, k -> new AtomicLong(NONE));
        while (true) {
            long before = last.get();
            if (ic <= before) {
                throw refuse(Reason.REPLAY, sender, "system title " + sender + ", invocation counter " + ic
                        + ": not above the last accepted " + before + " (a replay)");
            }
            if (last.compareAndSet(before, ic)) {
                return new Push(n, Optional.of(sender), ic);
            }
        }
    }

    /** The last invocation counter accepted from {@code sender}, if any. */
    public OptionalLong lastCounter(SystemTitle sender) {
        AtomicLong last = lastCounters.get(sender);
        return last == null || last.get() == NONE ? OptionalLong.empty() : OptionalLong.of(last.get());
    }

    private static DataNotification notification(byte[] plain, SystemTitle sender) throws PushRefusedException {
        if (plain.length == 0 || (plain[0] & 0xFF) != DataNotification.TAG) {
            throw refuse(Reason.MALFORMED, sender, plain.length == 0 ? "the deciphered APDU is empty"
                    : "the deciphered APDU has tag 0x" + hex(plain[0] & 0xFF) + ", not a Data-Notification (0F)");
        }
        try {
            return DataNotification.decode(plain);
        } catch (MalformedException e) {
            throw refuse(Reason.MALFORMED, sender, "Data-Notification: " + e.getMessage());
        }
    }

    private static PushRefusedException refuse(Reason reason, SystemTitle sender, String message) {
        return new PushRefusedException(reason, sender, message);
    }

    private static String hex(int b) {
        return String.format("%02X", b);
    }
}
