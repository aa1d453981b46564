package io.edgegateway.dlms.security;

/** A ciphered APDU or HLS answer failed authentication or could not be deciphered. */
public class CipheringException extends Exception {

    public CipheringException(String message, Throwable cause) {
        super(message, cause);
    }
}
