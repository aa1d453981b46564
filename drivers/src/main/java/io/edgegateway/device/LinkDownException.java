package io.edgegateway.device;

/** The transport is not there: TCP connect refused or timed out, serial port missing or busy. */
public final class LinkDownException extends DeviceException {

    public LinkDownException(String message, Throwable cause) {
        super(message, cause);
    }
}
