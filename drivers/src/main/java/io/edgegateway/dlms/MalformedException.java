package io.edgegateway.dlms;

/**
 * Bytes that do not parse as what they claim to be: a truncated A-XDR value, a BER length running past the end,
 * an unknown tag. Unchecked because every decoder can throw it; the client turns it into a
 * {@link io.edgegateway.device.BadResponseException} at its boundary, the simulator into an error answer.
 */
public class MalformedException extends RuntimeException {

    public MalformedException(String message) {
        super(message);
    }
}
