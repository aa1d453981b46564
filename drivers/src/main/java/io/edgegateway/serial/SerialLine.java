package io.edgegateway.serial;

import com.fazecast.jSerialComm.SerialPort;
import io.edgegateway.device.LinkDownException;
import io.edgegateway.link.ByteLink;

import java.io.IOException;
import java.time.Duration;

/**
 * An open serial port as a blocking byte pipe with read timeouts (a {@link ByteLink}). One owner at a time: an RS-485
 * line has one master, so callers serialise access (the bus scheduler does).
 */
public final class SerialLine implements ByteLink {

    private final SerialPort port;
    private SerialSettings settings;

    private SerialLine(SerialPort port, SerialSettings settings) {
        this.port = port;
        this.settings = settings;
    }

    /**
     * Opens the port.
     *
     * @throws LinkDownException when the device does not exist, is busy or refuses the settings
     */
    public static SerialLine open(SerialSettings settings) throws LinkDownException {
        SerialPort port;
        try {
            port = SerialPort.getCommPort(settings.device());
        } catch (RuntimeException e) {
            throw new LinkDownException("serial port " + settings.device() + " not found", e);
        }
        port.setComPortParameters(settings.baud(), settings.dataBits(),
                settings.stopBits() == 2 ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_STOP_BIT,
                settings.parity().jSerialComm());
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        if (settings.rs485()) {
            port.setRs485ModeParameters(true, settings.rtsActiveHigh(), settings.delayBeforeSendMicros(),
                    settings.delayAfterSendMicros());
        }
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, 100, 0);
        if (!port.openPort()) {
            throw new LinkDownException("cannot open serial port " + settings.describe()
                    + " (missing, busy, or no permission: is the user in group dialout?)", null);
        }
        return new SerialLine(port, settings);
    }

    public SerialSettings settings() {
        return settings;
    }

    @Override
    public Duration wireTime(int bytes) {
        return settings.wireTime(bytes);
    }

    /**
     * Changes baud rate and framing on the open port, e.g. after an IEC 62056-21 baud rate switch (300 baud 7E1
     * for the sign-on, then the meter's rate 8N1 for HDLC).
     */
    public void reconfigure(SerialSettings newSettings) throws IOException {
        if (!newSettings.device().equals(settings.device())) {
            throw new IllegalArgumentException("reconfigure keeps the device; open another line instead");
        }
        boolean ok = port.setComPortParameters(newSettings.baud(), newSettings.dataBits(),
                newSettings.stopBits() == 2 ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_STOP_BIT,
                newSettings.parity().jSerialComm());
        if (!ok) {
            throw new IOException("serial port " + settings.device() + " refused " + newSettings.describe());
        }
        settings = newSettings;
    }

    /**
     * Reads up to {@code len} bytes, waiting at most {@code timeout} for the first one.
     *
     * @return bytes read, 0 on timeout
     */
    @Override
    public int read(byte[] buffer, int offset, int len, Duration timeout) throws IOException {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, millis, 0);
        int n = port.readBytes(buffer, len, offset);
        if (n < 0) {
            throw new IOException("serial port " + settings.device() + " read failed (unplugged?)");
        }
        return n;
    }

    @Override
    public void write(byte[] data) throws IOException {
        int n = port.writeBytes(data, data.length);
        if (n != data.length) {
            throw new IOException("serial port " + settings.device() + " wrote " + n + " of " + data.length + " bytes");
        }
    }

    /**
     * Discards whatever is waiting in the input buffer: a late answer must never be taken for the next one.
     *
     * @throws IOException when the line does not go quiet (an echoing optical head, a second master, noise at the
     *                     wrong baud rate): waiting for it would hold the bus thread forever
     */
    @Override
    public void discardInput() throws IOException {
        byte[] sink = new byte[256];
        for (int round = 0; port.bytesAvailable() > 0; round++) {
            if (round == 64) {
                throw new IOException("serial port " + settings.device() + " never goes quiet (echo, another master,"
                        + " or noise at the wrong baud rate?)");
            }
            if (read(sink, 0, sink.length, Duration.ofMillis(1)) <= 0) {
                break;
            }
        }
    }

    /** Bytes waiting in the input buffer. */
    @Override
    public int available() {
        return Math.max(0, port.bytesAvailable());
    }

    /** "/dev/ttyUSB0 9600 8N1". */
    @Override
    public String describe() {
        return settings.describe();
    }

    public boolean isOpen() {
        return port.isOpen();
    }

    @Override
    public void close() {
        port.closePort();
    }
}
