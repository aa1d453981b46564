package io.edgegateway.modbus;

import java.util.Locale;

/**
 * Modbus exception codes (Modbus Application Protocol v1.1b3, section 7), as a device puts them in an exception
 * response (function code + 0x80, then this code).
 */
public enum ExceptionCode {
    ILLEGAL_FUNCTION(0x01, "ILLEGAL FUNCTION"),
    ILLEGAL_DATA_ADDRESS(0x02, "ILLEGAL DATA ADDRESS"),
    ILLEGAL_DATA_VALUE(0x03, "ILLEGAL DATA VALUE"),
    SERVER_DEVICE_FAILURE(0x04, "SERVER DEVICE FAILURE"),
    ACKNOWLEDGE(0x05, "ACKNOWLEDGE"),
    SERVER_DEVICE_BUSY(0x06, "SERVER DEVICE BUSY"),
    NEGATIVE_ACKNOWLEDGE(0x07, "NEGATIVE ACKNOWLEDGE"),
    MEMORY_PARITY_ERROR(0x08, "MEMORY PARITY ERROR"),
    GATEWAY_PATH_UNAVAILABLE(0x0A, "GATEWAY PATH UNAVAILABLE"),
    GATEWAY_TARGET_FAILED(0x0B, "GATEWAY TARGET DEVICE FAILED TO RESPOND");

    private final int code;
    private final String text;

    ExceptionCode(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    /** The spec's name, e.g. {@code ILLEGAL DATA ADDRESS}. */
    public String text() {
        return text;
    }

    /** The code with this number, or null for codes the spec does not define. */
    public static ExceptionCode of(int code) {
        for (ExceptionCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }

    /** "exception 02 ILLEGAL DATA ADDRESS", or "exception 13 (not a standard code)" for codes outside the spec. */
    public static String describe(int code) {
        ExceptionCode c = of(code);
        String number = String.format(Locale.ROOT, "%02X", code & 0xFF);
        return "exception " + number + " " + (c == null ? "(not a standard code)" : c.text);
    }
}
