package io.edgegateway.modbus.transport;

/**
 * What a unit answered, as a value. The transport has checked the frame (transaction id, unit, CRC, length) and
 * that the PDU is well formed; whether it answers the request (function, count, echo) is the client's check.
 */
public sealed interface AnswerPdu {

    /** Function 3 or 4: the registers, two bytes each as on the wire. */
    record Registers(int function, byte[] data) implements AnswerPdu {
        public int count() {
            return data.length / 2;
        }
    }

    /**
     * Function 1 or 2: the bits asked for, one byte (0 or 1) each. {@code bytes} is the byte count the answer
     * carried, so a short answer shows even where the padding bits hide it.
     */
    record Bits(int function, byte[] bits, int bytes) implements AnswerPdu {
    }

    /** Functions 5, 6, 15, 16: the echoed address and value (5, 6) or quantity (15, 16). */
    record Echo(int function, int address, int value) implements AnswerPdu {
    }

    /** An exception answer: {@code function} is the request's function (the answer carries it with bit 7 set). */
    record Exception(int function, int code) implements AnswerPdu {
    }
}
