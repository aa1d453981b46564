package io.edgegateway.dlms.transport;

import java.io.IOException;

/**
 * Bytes arrived but do not make a valid frame or the expected frame: bad HCS/FCS, truncated, wrong wrapper
 * version, an out-of-sequence or unexpected HDLC frame. The link is no longer trustworthy: reconnect.
 */
public class FrameException extends IOException {

    public FrameException(String message) {
        super(message);
    }
}
