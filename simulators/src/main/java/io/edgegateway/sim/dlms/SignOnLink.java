package io.edgegateway.sim.dlms;

import io.edgegateway.link.ByteLink;
import io.edgegateway.link.ForwardingByteLink;
import io.edgegateway.serial.Parity;
import io.edgegateway.serial.SerialLine;
import io.edgegateway.serial.SerialSettings;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Answers the IEC 62056-21 mode E sign-on on a simulated meter's serial line and hides it from the HDLC layer:
 * "/?!" CR LF gets the identification "/EGS5\2..." CR LF, the client's ACK "2 Z 2" CR LF is swallowed, and the
 * line then carries HDLC. With {@code switchBaud} the line listens at 300 baud 7E1 and moves to the HDLC baud rate
 * after the acknowledgement (a real optical port); on a pty the rates do not matter.
 */
final class SignOnLink extends ForwardingByteLink {

    private enum State { IDLE, REQUEST, AWAIT_ACK, ACK }

    private final SerialLine line;
    private final SerialSettings hdlcSettings;
    private final boolean switchBaud;
    private final String identification;
    private State state = State.IDLE;
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private final java.util.ArrayDeque<Byte> ready = new java.util.ArrayDeque<>();
    private static final byte[] SIGN_ON_REQUEST = "/?!\r\n".getBytes(StandardCharsets.US_ASCII);
    private int ackLeft;

    SignOnLink(ByteLink link, SerialLine line, boolean switchBaud, String serialNumber) throws IOException {
        super(link);
        this.line = line;
        this.hdlcSettings = line.settings();
        this.switchBaud = switchBaud;
        this.identification = "/EGS" + letter(hdlcSettings.baud()) + "\\2SIM" + serialNumber + "\r\n";
        if (switchBaud) {
            listenForSignOn();
        }
    }

    private static char letter(int baud) {
        return switch (baud) {
            case 300 -> '0';
            case 600 -> '1';
            case 1200 -> '2';
            case 2400 -> '3';
            case 4800 -> '4';
            case 19200 -> '6';
            default -> '5';
        };
    }

    /** Back to 300 baud 7E1, waiting for the next sign-on (after the HDLC session ended). */
    void listenForSignOn() throws IOException {
        if (switchBaud) {
            line.reconfigure(new SerialSettings(hdlcSettings.device(), 300, 7, Parity.EVEN, 1, hdlcSettings.rs485(),
                    hdlcSettings.rtsActiveHigh(), hdlcSettings.delayBeforeSendMicros(),
                    hdlcSettings.delayAfterSendMicros()));
        }
        state = State.IDLE;
    }

    @Override
    public int read(byte[] buffer, int offset, int length, Duration timeout) throws IOException {
        byte[] chunk = new byte[Math.max(1, length)];
        while (ready.isEmpty()) {
            int n = link.read(chunk, 0, chunk.length, timeout);
            if (n <= 0) {
                return n;
            }
            for (int i = 0; i < n; i++) {
                filter(chunk[i] & 0xFF);
            }
        }
        int out = 0;
        while (out < length && !ready.isEmpty()) {
            buffer[offset + out++] = ready.poll();
        }
        return out;
    }

    /** Passes a byte on to HDLC (into {@link #ready}) or consumes it as part of the sign-on. */
    private void filter(int b) throws IOException {
        switch (state) {
            case IDLE -> {
                if ((b & 0x7F) == '/') {
                    state = State.REQUEST;
                    held.write(b);
                } else {
                    ready.add((byte) b);
                }
            }
            case REQUEST -> {
                held.write(b);
                byte[] h = held.toByteArray();
                boolean prefix = h.length <= SIGN_ON_REQUEST.length;
                for (int i = 0; prefix && i < h.length; i++) {
                    prefix = (h[i] & 0x7F) == SIGN_ON_REQUEST[i];
                }
                if (prefix && h.length == SIGN_ON_REQUEST.length) {
                    held.reset();
                    state = State.AWAIT_ACK;
                    link.write(identification.getBytes(StandardCharsets.US_ASCII));
                } else if (!prefix) {
                    // Not a sign-on after all: the bytes are data.
                    held.reset();
                    state = State.IDLE;
                    for (byte x : h) {
                        ready.add(x);
                    }
                }
            }
            case AWAIT_ACK -> {
                if (b == 0x06) {
                    state = State.ACK;
                    ackLeft = 5;
                } else {
                    state = State.IDLE;
                    ready.add((byte) b);
                }
            }
            case ACK -> {
                if (--ackLeft == 0) {
                    state = State.IDLE;
                    if (switchBaud) {
                        line.reconfigure(hdlcSettings);
                    }
                }
            }
        }
    }
}
