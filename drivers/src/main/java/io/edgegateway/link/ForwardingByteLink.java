package io.edgegateway.link;

import java.io.IOException;
import java.time.Duration;

/** A {@link ByteLink} that passes everything to another; decorators override what they change. */
public abstract class ForwardingByteLink implements ByteLink {

    protected final ByteLink link;

    protected ForwardingByteLink(ByteLink link) {
        this.link = link;
    }

    @Override
    public int read(byte[] buffer, int offset, int length, Duration timeout) throws IOException {
        return link.read(buffer, offset, length, timeout);
    }

    @Override
    public void write(byte[] data) throws IOException {
        link.write(data);
    }

    @Override
    public void discardInput() throws IOException {
        link.discardInput();
    }

    @Override
    public int available() throws IOException {
        return link.available();
    }

    @Override
    public Duration wireTime(int bytes) {
        return link.wireTime(bytes);
    }

    @Override
    public String describe() {
        return link.describe();
    }

    @Override
    public void close() {
        link.close();
    }
}
