package io.edgegateway.modbus.transport;

import java.time.Duration;

/**
 * Timing of one Modbus link.
 *
 * <p>Timeouts are short on purpose: a dead meter must not stall a shared RS-485 line. Every request is tried once;
 * the gateway's scheduler retries with backoff.
 *
 * @param responseTimeout how long a whole answer may take, from the request's last byte to the answer's last byte
 *                        (on a serial line the frames' time on the wire at the line's baud rate comes on top). It
 *                        bounds the exchange however the bytes trickle in: a device that drips its answer cannot
 *                        hold the line longer.
 * @param connectTimeout  how long a TCP connect may take (serial ports open at once or fail)
 * @param pause           quiet time between the end of one transaction and the next request on this link. Serial
 *                        lines default to 20 ms: far above the 3.5-character silence RTU needs (4 ms at 9600 baud)
 *                        and enough for slow meters to turn their RS-485 transceiver around; the link never pauses
 *                        less than 3.5 characters whatever is set here. TCP defaults to none.
 * @param lateReplyGuard  after a request timed out on an RTU framing (serial, RTU over TCP), the link keeps the line
 *                        quiet this long more, and everything that arrived meanwhile is discarded before the next
 *                        request. RTU frames carry no transaction id, so a late answer to the old request would
 *                        otherwise be read as the answer to the new one. Zero disables it. Not needed on Modbus TCP
 *                        (transaction ids tell a late answer from the awaited one).
 */
public record LinkOptions(Duration responseTimeout, Duration connectTimeout, Duration pause, Duration lateReplyGuard) {

    /** Modbus TCP: 1 s answer, 3 s connect, no pause, no guard. */
    public static final LinkOptions TCP = new LinkOptions(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ZERO,
            Duration.ZERO);

    /** RTU on a serial line: 1 s answer, 20 ms pause, 1 s late-reply guard. */
    public static final LinkOptions SERIAL = new LinkOptions(Duration.ofSeconds(1), Duration.ofSeconds(3),
            Duration.ofMillis(20), Duration.ofSeconds(1));

    /** RTU frames through a serial device server: TCP connect, serial-like pause and guard. */
    public static final LinkOptions RTU_OVER_TCP = new LinkOptions(Duration.ofSeconds(1), Duration.ofSeconds(3),
            Duration.ofMillis(20), Duration.ofSeconds(1));

    public LinkOptions {
        check("responseTimeout", responseTimeout, Duration.ofMillis(10), Duration.ofMinutes(1));
        check("connectTimeout", connectTimeout, Duration.ofMillis(10), Duration.ofMinutes(1));
        check("pause", pause, Duration.ZERO, Duration.ofSeconds(10));
        check("lateReplyGuard", lateReplyGuard, Duration.ZERO, Duration.ofMinutes(1));
    }

    private static void check(String name, Duration d, Duration min, Duration max) {
        if (d == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be " + min.toMillis() + " ms.." + max.toMillis()
                    + " ms, got " + d.toMillis() + " ms");
        }
    }

    public LinkOptions withResponseTimeout(Duration d) {
        return new LinkOptions(d, connectTimeout, pause, lateReplyGuard);
    }

    public LinkOptions withConnectTimeout(Duration d) {
        return new LinkOptions(responseTimeout, d, pause, lateReplyGuard);
    }

    public LinkOptions withPause(Duration d) {
        return new LinkOptions(responseTimeout, connectTimeout, d, lateReplyGuard);
    }

    public LinkOptions withLateReplyGuard(Duration d) {
        return new LinkOptions(responseTimeout, connectTimeout, pause, d);
    }

}
