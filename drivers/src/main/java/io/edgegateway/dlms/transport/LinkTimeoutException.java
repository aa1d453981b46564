package io.edgegateway.dlms.transport;

import java.io.IOException;

/** Nothing (or nothing addressed to us) arrived before the deadline. */
public class LinkTimeoutException extends IOException {

    public LinkTimeoutException(String message) {
        super(message);
    }
}
