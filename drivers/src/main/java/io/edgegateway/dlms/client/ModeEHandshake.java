package io.edgegateway.dlms.client;

import io.edgegateway.dlms.transport.FrameException;
import io.edgegateway.dlms.transport.LinkTimeoutException;
import io.edgegateway.serial.Parity;
import io.edgegateway.serial.SerialLine;
import io.edgegateway.serial.SerialSettings;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The IEC 62056-21 mode E sign-on that optical heads need before HDLC: at 300 baud 7E1 the client sends the
 * request "/?!" CR LF, the meter identifies itself as "/XXXZ\2ident" CR LF (Z the baud rate letter, "\2" the mode E
 * marker), the client acknowledges with ACK "2" Z "2" CR LF (protocol HDLC, the meter's rate, binary mode), and both
 * switch to Z's baud rate, 8N1, for HDLC.
 */
final class ModeEHandshake {

    static final String REQUEST = "/?!\r\n";

    private ModeEHandshake() {
    }

    /** Baud rate of an identification letter '0'..'6' (300..19200). */
    static int baud(char z) {
        return switch (z) {
            case '0' -> 300;
            case '1' -> 600;
            case '2' -> 1200;
            case '3' -> 2400;
            case '4' -> 4800;
            case '5' -> 9600;
            case '6' -> 19200;
            default -> -1;
        };
    }

    /**
     * Runs the sign-on and leaves the line at the meter's baud rate, 8N1.
     *
     * @return the meter's identification line, without CR LF
     */
    static String run(SerialLine line, Duration timeout) throws IOException {
        SerialSettings base = line.settings();
        line.reconfigure(new SerialSettings(base.device(), 300, 7, Parity.EVEN, 1, base.rs485(), base.rtsActiveHigh(),
                base.delayBeforeSendMicros(), base.delayAfterSendMicros()));
        line.discardInput();
        line.write(REQUEST.getBytes(StandardCharsets.US_ASCII));
        String ident = readLine(line, timeout);
        if (ident.length() < 5 || ident.charAt(0) != '/') {
            throw new FrameException("not an IEC 62056-21 identification: '" + printable(ident) + "'");
        }
        char z = ident.charAt(4);
        int rate = baud(z);
        if (rate < 0) {
            throw new FrameException("identification '" + printable(ident) + "' has no baud rate letter 0..6");
        }
        if (!ident.startsWith("\\2", 5)) {
            throw new FrameException("the meter does not offer mode E (HDLC): identification '" + printable(ident) + "'");
        }
        line.write(new byte[] {0x06, '2', (byte) z, '2', '\r', '\n'});
        // The acknowledgement must leave at 300 baud before the switch: 6 characters of 10 bits take 200 ms.
        sleep(260);
        line.reconfigure(new SerialSettings(base.device(), rate, 8, Parity.NONE, 1, base.rs485(), base.rtsActiveHigh(),
                base.delayBeforeSendMicros(), base.delayAfterSendMicros()));
        return ident;
    }

    private static String readLine(SerialLine line, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] one = new byte[1];
        while (out.size() < 128) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            int n = line.read(one, 0, 1, Duration.ofNanos(Math.max(left, 1_000_000)));
            if (n <= 0) {
                continue;
            }
            int c = one[0] & 0x7F; // 7E1 read as 8N1 on some adapters: drop the parity bit
            if (c == '\n') {
                String s = out.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            out.write(c);
        }
        if (out.size() == 0) {
            throw new LinkTimeoutException("no identification from the meter within " + timeout.toMillis()
                    + " ms after /?! (optical head aligned?)");
        }
        throw new FrameException("incomplete identification '" + printable(out.toString(StandardCharsets.US_ASCII)) + "'");
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7E]", "?");
    }

    private static void sleep(long ms) throws InterruptedIOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }
}
