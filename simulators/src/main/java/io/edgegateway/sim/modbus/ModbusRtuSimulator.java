package io.edgegateway.sim.modbus;

import io.edgegateway.device.LinkDownException;
import io.edgegateway.serial.SerialLine;
import io.edgegateway.serial.SerialSettings;
import io.edgegateway.sim.server.SerialListener;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Simulated Modbus RTU devices on a serial line (a USB RS-485 adapter, or one end of a socat pty pair in tests).
 * Several unit ids share the line as several meters share a bus; units nobody serves stay silent, unit 0 is a
 * broadcast.
 *
 * <p>One reader thread (a platform thread: the serial read blocks in native code) frames requests by function code
 * ({@link RtuFrames}), answers in order, and waits 3.5 characters before each answer as a slave must. Bytes are not
 * paced to the baud rate: the UART does that on real lines, and ptys test framing, not timing.
 */
public final class ModbusRtuSimulator extends ModbusSimulator {

    /** An unfinished frame is dropped after this much quiet (PC serial timing is too coarse for 3.5 characters). */
    private static final Duration SILENCE = Duration.ofMillis(50);
    /** How often an idle reader looks up to see whether it should stop. */
    private static final Duration IDLE_POLL = Duration.ofMillis(500);

    private final SerialSettings settings;
    private final SerialListener listener;
    private volatile long crcErrors;

    private ModbusRtuSimulator(Builder b) {
        super(b, true);
        this.settings = b.settings;
        this.listener = new SerialListener("modbus-rtu-sim", settings, IDLE_POLL.multipliedBy(3), this::serve);
    }

    public static Builder builder(SerialSettings settings) {
        return new Builder(settings);
    }

    /** Configures a simulator; at least one {@link #unit} is required. */
    public static final class Builder extends ServedUnits<Builder> {
        private final SerialSettings settings;

        private Builder(SerialSettings settings) {
            this.settings = settings;
        }

        public ModbusRtuSimulator build() {
            return new ModbusRtuSimulator(this);
        }
    }

    /**
     * Opens the line and starts answering; returns this.
     *
     * @throws LinkDownException when the port cannot be opened
     */
    public ModbusRtuSimulator start() throws LinkDownException {
        listener.start();
        return this;
    }

    public void restart() throws LinkDownException {
        listener.restart();
    }

    /** Why the reader stopped by itself (the port failed, e.g. an unplugged adapter), or null. */
    public String failure() {
        return listener.failure();
    }

    @Override
    SerialListener listener() {
        return listener;
    }

    @Override
    public String describe() {
        return "rtu " + settings.describe();
    }

    public SerialSettings settings() {
        return settings;
    }

    @Override
    public SimulatorStats stats() {
        return responder.stats(crcErrors, 0);
    }

    private void serve(SerialLine l, BooleanSupplier running) throws IOException, InterruptedException {
        RtuFrames frames = new RtuFrames();
        byte[] buffer = new byte[512];
        Duration turnaround = Duration.ofNanos(settings.t35Micros() * 1000);
        boolean first = true;
        while (running.getAsBoolean()) {
            int n = l.read(buffer, 0, buffer.length, frames.pending() > 0 ? SILENCE : IDLE_POLL);
            List<byte[]> got = n > 0 ? frames.accept(buffer, 0, n)
                    : frames.pending() > 0 ? frames.silence() : List.of();
            crcErrors = frames.crcErrors();
            for (byte[] frame : got) {
                int unit = frame[0] & 0xFF;
                // A serial line has no connections: first-late applies to the first request after start.
                Answer answer = responder.answer(unit, Arrays.copyOfRange(frame, 1, frame.length), first);
                first = false;
                if (answer instanceof Answer.Reply r) {
                    replies.send(r, RtuFrames.encode(unit, r.pdu()), turnaround, b -> {
                        if (running.getAsBoolean()) {
                            l.write(b);
                        }
                    });
                }
                // A serial line cannot be dropped: Answer.Drop is silence here.
            }
        }
    }
}
