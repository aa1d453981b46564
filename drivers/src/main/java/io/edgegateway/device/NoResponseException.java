package io.edgegateway.device;

/** The request went out, and no answer came within the timeout. */
public final class NoResponseException extends DeviceException {

    public NoResponseException(String message, Throwable cause) {
        super(message, cause);
    }
}
