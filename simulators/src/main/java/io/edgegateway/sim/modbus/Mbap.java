package io.edgegateway.sim.modbus;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Modbus TCP framing (Modbus Messaging on TCP/IP Implementation Guide v1.0b, section 3.1.3): a 7-byte MBAP
 * header (transaction id, protocol id 0, length of what follows, unit id) before the PDU.
 *
 * @param transactionId echoed in the answer
 * @param protocolId    0 for Modbus
 * @param unitId        the unit addressed
 * @param pdu           function code and data
 */
public record Mbap(int transactionId, int protocolId, int unitId, byte[] pdu) {

    /** Largest PDU: 253 bytes, so the length field is at most 254. */
    public static final int MAX_PDU = 253;

    /** A frame that cannot be Modbus: the stream is out of step and the connection must go. */
    public static final class BadFrameException extends IOException {
        public BadFrameException(String message) {
            super(message);
        }
    }

    /**
     * Reads one frame.
     *
     * @throws EOFException      when the peer closed the connection
     * @throws BadFrameException for a protocol id other than 0 or an impossible length
     */
    public static Mbap read(InputStream input) throws IOException {
        DataInputStream in = input instanceof DataInputStream d ? d : new DataInputStream(input);
        byte[] header = new byte[7];
        in.readFully(header);
        int tid = Pdu.u16(header, 0);
        int pid = Pdu.u16(header, 2);
        int length = Pdu.u16(header, 4);
        if (pid != 0) {
            throw new BadFrameException("protocol id " + pid + " is not Modbus");
        }
        if (length < 2 || length > MAX_PDU + 1) {
            throw new BadFrameException("MBAP length " + length + " outside 2..254");
        }
        byte[] pdu = new byte[length - 1];
        in.readFully(pdu);
        return new Mbap(tid, pid, header[6] & 0xFF, pdu);
    }

    /** This frame as sent. */
    public byte[] encode() {
        byte[] out = new byte[7 + pdu.length];
        out[0] = (byte) (transactionId >> 8);
        out[1] = (byte) transactionId;
        out[2] = (byte) (protocolId >> 8);
        out[3] = (byte) protocolId;
        out[4] = (byte) ((pdu.length + 1) >> 8);
        out[5] = (byte) (pdu.length + 1);
        out[6] = (byte) unitId;
        System.arraycopy(pdu, 0, out, 7, pdu.length);
        return out;
    }

    /** The answer frame to this request: same transaction, protocol and unit. */
    public Mbap answer(byte[] answerPdu) {
        return new Mbap(transactionId, protocolId, unitId, answerPdu);
    }
}
