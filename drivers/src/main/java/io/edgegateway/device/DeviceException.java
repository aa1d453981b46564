package io.edgegateway.device;

/**
 * Why a device read failed. The kinds split by what a field engineer does next: nothing came back
 * ({@link NoResponseException}, {@link LinkDownException}: check wiring, power, address) versus the device
 * answered but not usefully ({@link RejectedException}, {@link BadResponseException}: check the profile).
 */
public abstract sealed class DeviceException extends Exception
        permits NoResponseException, LinkDownException, RejectedException, BadResponseException {

    protected DeviceException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when the device did not answer at all: the gateway shows it DISCONNECTED rather than ERROR. */
    public boolean silent() {
        return this instanceof NoResponseException || this instanceof LinkDownException;
    }
}
