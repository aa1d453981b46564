package io.edgegateway.dlms.transport;

import io.edgegateway.link.ByteLink;
import java.io.IOException;
import java.time.Duration;

/**
 * Carries whole APDUs between a client and a server, whatever the framing (HDLC segments and acknowledges,
 * the wrapper prefixes a header).
 */
public interface ApduChannel extends AutoCloseable {

    void send(byte[] apdu, Duration timeout) throws IOException;

    /**
     * Waits for the next whole APDU.
     *
     * @throws LinkTimeoutException when none arrives in time
     * @throws FrameException       for a broken or unexpected frame
     */
    byte[] receive(Duration timeout) throws IOException;

    /** The underlying byte link. */
    ByteLink link();

    @Override
    void close();
}
