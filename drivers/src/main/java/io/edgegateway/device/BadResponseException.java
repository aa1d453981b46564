package io.edgegateway.device;

/** Something came back that is not a valid answer to the request: bad CRC, wrong length, wrong PDU. */
public final class BadResponseException extends DeviceException {

    public BadResponseException(String message, Throwable cause) {
        super(message, cause);
    }
}
