package io.edgegateway.write;

import jakarta.json.JsonValue;

/**
 * Writes one point of one meter. The REST route and the WoT {@code writeproperty} form both come here, so a
 * write is checked, carried out and audited the same way whichever door it came through.
 */
public interface PointWriter {

    /**
     * Checks the value, writes it through the device's bus scheduler, reads it back and records the attempt in
     * the audit trail, refused or not. Blocks until the device answered (or the write timed out).
     *
     * @param tokenName who asks (for the audit trail), or null without tokens
     * @param value     the new value as given: a JSON number, or a boolean for a coil
     */
    WriteOutcome write(String tokenName, String meterNo, String pointName, JsonValue value);

    /**
     * Records an attempt its door refused before asking here (a token without {@code write}, a body that is not
     * JSON) in the same audit trail, and returns {@code why}.
     *
     * @param value the value as given, or null when there was none
     */
    default WriteOutcome.Refused refuse(String tokenName, String meterNo, String pointName, JsonValue value,
                                        WriteOutcome.Refused why) {
        return why;
    }

    /**
     * A 403 to a caller on another machine while no tokens are configured: logged at FINE, never audited. Anyone
     * on the network can send it, with no name to record, and each audited row is a synchronous commit: auditing
     * these would let any LAN host fill and wear the SD card. A token's refusals are audited ({@link #refuse}).
     */
    default WriteOutcome.Refused notLocal(String meterNo, String pointName, WriteOutcome.Refused why) {
        return why;
    }
}
