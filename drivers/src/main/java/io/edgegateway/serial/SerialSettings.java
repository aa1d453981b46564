package io.edgegateway.serial;

/**
 * How to open a serial port.
 *
 * @param device        path, e.g. {@code /dev/ttyUSB0}, {@code /dev/serial/by-id/...}, or a pty link
 * @param baud          bits per second
 * @param dataBits      5..8
 * @param parity        none, even, odd
 * @param stopBits      1 or 2
 * @param rs485         let the driver switch the transceiver with RTS (adapters without automatic direction control)
 * @param rtsActiveHigh RTS level while sending, when {@code rs485}
 * @param delayBeforeSendMicros RTS set-up time before the first bit, when {@code rs485}
 * @param delayAfterSendMicros  RTS hold time after the last bit, when {@code rs485}
 */
public record SerialSettings(String device, int baud, int dataBits, Parity parity, int stopBits, boolean rs485,
                             boolean rtsActiveHigh, int delayBeforeSendMicros, int delayAfterSendMicros) {

    public SerialSettings {
        if (device == null || device.isBlank()) {
            throw new IllegalArgumentException("a serial device path is required");
        }
        if (baud < 50 || baud > 4_000_000) {
            throw new IllegalArgumentException("baud " + baud + " out of range 50..4000000");
        }
        if (dataBits < 5 || dataBits > 8) {
            throw new IllegalArgumentException("data bits must be 5..8, got " + dataBits);
        }
        if (stopBits != 1 && stopBits != 2) {
            throw new IllegalArgumentException("stop bits must be 1 or 2, got " + stopBits);
        }
        if (parity == null) {
            throw new IllegalArgumentException("parity is required");
        }
        if (delayBeforeSendMicros < 0 || delayAfterSendMicros < 0) {
            throw new IllegalArgumentException("RS-485 delays must not be negative");
        }
    }

    /** 8 data bits, no parity, 1 stop bit, no RTS control. */
    public static SerialSettings of(String device, int baud) {
        return new SerialSettings(device, baud, 8, Parity.NONE, 1, false, true, 0, 0);
    }

    public SerialSettings withParity(Parity p, int stop) {
        return new SerialSettings(device, baud, dataBits, p, stop, rs485, rtsActiveHigh, delayBeforeSendMicros,
                delayAfterSendMicros);
    }

    /** Bits on the wire per character: start + data + parity + stop. */
    public int bitsPerCharacter() {
        return 1 + dataBits + (parity == Parity.NONE ? 0 : 1) + stopBits;
    }

    /** Time on the wire of {@code bytes} characters at this baud rate. */
    public java.time.Duration wireTime(int bytes) {
        return java.time.Duration.ofNanos(bytes * (long) bitsPerCharacter() * 1_000_000_000L / baud);
    }

    /**
     * Modbus RTU's t3.5 silent interval in microseconds: 3.5 character times up to 19200 baud, fixed 1750 µs above
     * (Modbus over serial line spec, 2.5.1.1).
     */
    public long t35Micros() {
        if (baud > 19200) {
            return 1750;
        }
        return (long) Math.ceil(3.5 * bitsPerCharacter() * 1_000_000.0 / baud);
    }

    /** "/dev/ttyUSB0 9600 8N1". */
    public String describe() {
        return device + " " + baud + " " + dataBits + parity.letter() + stopBits + (rs485 ? " rs485" : "");
    }
}
