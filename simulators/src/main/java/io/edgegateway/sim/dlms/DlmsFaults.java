package io.edgegateway.sim.dlms;

import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.apdu.DataAccessResult;
import io.edgegateway.dlms.security.Ciphering;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults a simulated meter injects, changeable at run time from any thread: silence (requests are read, nothing
 * is answered), a delay before every answer, data-access errors on chosen objects, broken outgoing frames
 * (a wrong frame check sequence, or a frame cut short), frames dripped byte by byte, and random bytes instead of
 * answers.
 */
public final class DlmsFaults {

    private volatile boolean silent;
    private volatile Duration delay = Duration.ZERO;
    private final Map<String, DataAccessResult> failures = new ConcurrentHashMap<>();
    private final AtomicInteger corruptFrames = new AtomicInteger();
    private final AtomicInteger truncatedFrames = new AtomicInteger();
    private volatile int answerSecurityControl = Ciphering.AUTHENTICATED_ENCRYPTED;
    private volatile int drip;
    private volatile boolean garbage;

    /** Reads requests but answers nothing (a meter that hangs, or the wrong address on a bus). */
    public DlmsFaults silence(boolean on) {
        this.silent = on;
        return this;
    }

    public boolean silent() {
        return silent;
    }

    /** Waits this long before every frame it sends. */
    public DlmsFaults delay(Duration d) {
        this.delay = d == null ? Duration.ZERO : d;
        return this;
    }

    public Duration delay() {
        return delay;
    }

    /** Every frame goes out byte by byte, {@code bytesPerSecond} of them a second (0: at once). */
    public DlmsFaults drip(int bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("drip must not be negative");
        }
        this.drip = bytesPerSecond;
        return this;
    }

    public int drip() {
        return drip;
    }

    /** Every frame goes out as random bytes of its length. */
    public DlmsFaults garbage(boolean on) {
        this.garbage = on;
        return this;
    }

    public boolean garbage() {
        return garbage;
    }

    /** Every GET of {@code obis}, any attribute, answers {@code result}. */
    public DlmsFaults failObject(ObisCode obis, DataAccessResult result) {
        failures.put(obis.toString(), result);
        return this;
    }

    /** GETs of one attribute answer {@code result}. */
    public DlmsFaults failAttribute(ObisCode obis, int attribute, DataAccessResult result) {
        failures.put(obis + "/" + attribute, result);
        return this;
    }

    public DlmsFaults clearDataAccessErrors() {
        failures.clear();
        return this;
    }

    /** The injected result for an attribute, if any. */
    public Optional<DataAccessResult> failure(ObisCode obis, int attribute) {
        DataAccessResult r = failures.get(obis + "/" + attribute);
        return Optional.ofNullable(r != null ? r : failures.get(obis.toString()));
    }

    /** The next {@code n} frames go out with a wrong frame check sequence (HDLC) or a wrong version (wrapper). */
    public DlmsFaults corruptNextFrames(int n) {
        corruptFrames.set(n);
        return this;
    }

    /** The next {@code n} frames go out cut to half their length. */
    public DlmsFaults truncateNextFrames(int n) {
        truncatedFrames.set(n);
        return this;
    }

    /**
     * Ciphered answers go out with this security control instead of authenticated+encrypted (0x30): 0x20
     * encrypted only, 0x10 authenticated only, 0x00 plain, as something tampering on the path would send them.
     */
    public DlmsFaults answerSecurityControl(int securityControl) {
        this.answerSecurityControl = securityControl;
        return this;
    }

    int answerSecurityControl() {
        return answerSecurityControl;
    }

    boolean takeCorrupt() {
        return corruptFrames.getAndUpdate(v -> v > 0 ? v - 1 : 0) > 0;
    }

    boolean takeTruncated() {
        return truncatedFrames.getAndUpdate(v -> v > 0 ? v - 1 : 0) > 0;
    }

    /** Back to a healthy meter. */
    public DlmsFaults clear() {
        silent = false;
        delay = Duration.ZERO;
        failures.clear();
        corruptFrames.set(0);
        truncatedFrames.set(0);
        answerSecurityControl = Ciphering.AUTHENTICATED_ENCRYPTED;
        drip = 0;
        garbage = false;
        return this;
    }
}
