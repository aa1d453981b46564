package io.edgegateway.link;

import io.edgegateway.serial.SerialLine;

import java.io.IOException;
import java.time.Duration;

/** A serial line (RS-485 adapter, optical head, pty) as a {@link ByteLink}. */
public final class SerialByteLink implements ByteLink {

    private final SerialLine line;

    public SerialByteLink(SerialLine line) {
        this.line = line;
    }

    public SerialLine line() {
        return line;
    }

    @Override
    public int read(byte[] buffer, int offset, int length, Duration timeout) throws IOException {
        return line.read(buffer, offset, length, timeout);
    }

    @Override
    public void write(byte[] data) throws IOException {
        line.write(data);
    }

    @Override
    public void discardInput() throws IOException {
        line.discardInput();
    }

    @Override
    public int available() {
        return line.available();
    }

    @Override
    public String describe() {
        return line.settings().describe();
    }

    @Override
    public void close() {
        line.close();
    }
}
