package io.edgegateway.modbus;

import com.ghgande.j2mod.modbus.ModbusIOException;
import com.ghgande.j2mod.modbus.msg.ExceptionResponse;
import com.ghgande.j2mod.modbus.msg.ModbusResponse;
import com.ghgande.j2mod.modbus.io.ModbusRTUTCPTransport;
import com.ghgande.j2mod.modbus.util.ModbusUtil;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.HexFormat;

/**
 * j2mod's RTU-over-TCP transport with a response reader that checks the CRC.
 *
 * <p>j2mod 3.3.0 reads an RTU-over-TCP answer and throws its two CRC bytes away unchecked
 * ({@code ModbusTCPTransport.readResponse}, headless branch). A serial device server forwards whatever the RS-485
 * line carried, noise included, so the CRC is the only protection: this reader frames the answer by function
 * code, checks the CRC-16 and only then lets j2mod parse the PDU. Requests are still written by j2mod.
 */
final class RtuOverTcpTransport extends ModbusRTUTCPTransport {

    /** Unit id + function + at most 252 data bytes + CRC: the RTU frame limit of 256 bytes. */
    private static final int MAX_FRAME = 256;

    RtuOverTcpTransport(Socket socket) {
        super(socket);
    }

    @Override
    public ModbusResponse readResponse() throws ModbusIOException {
        byte[] frame = new byte[MAX_FRAME];
        int length;
        try {
            InputStream in = socket.getInputStream();
            readFully(in, frame, 0, 2);
            int function = frame[1] & 0xFF;
            int body;
            if ((function & 0x80) != 0) {
                body = 1;
            } else {
                body = switch (function) {
                    case 1, 2, 3, 4 -> {
                        readFully(in, frame, 2, 1);
                        yield 1 + (frame[2] & 0xFF);
                    }
                    case 5, 6, 15, 16 -> 4;
                    default -> throw new ModbusIOException(String.format(
                            "malformed answer: unexpected function code 0x%02X", function));
                };
            }
            length = 2 + body + 2;
            if (length > MAX_FRAME) {
                throw new ModbusIOException("malformed answer: frame of " + length + " bytes");
            }
            int have = function >= 1 && function <= 4 ? 3 : 2;
            readFully(in, frame, have, length - have);
        } catch (ModbusIOException e) {
            throw e;
        } catch (IOException e) {
            // Keep the cause: the link tells a timeout from a closed connection by it.
            throw new ModbusIOException("RTU-over-TCP read failed: " + e, e);
        }
        int[] crc = ModbusUtil.calculateCRC(frame, 0, length - 2);
        if ((frame[length - 2] & 0xFF) != crc[0] || (frame[length - 1] & 0xFF) != crc[1]) {
            throw new ModbusIOException("CRC error in answer " + HexFormat.ofDelimiter(" ").formatHex(frame, 0, length));
        }
        int unit = frame[0] & 0xFF;
        int function = frame[1] & 0xFF;
        ModbusResponse response;
        if ((function & 0x80) != 0) {
            response = new ExceptionResponse(function & 0x7F, frame[2] & 0xFF);
        } else {
            response = ModbusResponse.createModbusResponse(function);
            try {
                response.readData(new DataInputStream(new ByteArrayInputStream(frame, 2, length - 4)));
            } catch (IOException | RuntimeException e) {
                throw new ModbusIOException("malformed answer: " + e.getMessage());
            }
        }
        response.setUnitID(unit);
        response.setHeadless();
        return response;
    }

    /** Drops input already waiting on the socket. */
    void discardInput() throws IOException {
        InputStream in = socket.getInputStream();
        int n;
        while ((n = in.available()) > 0) {
            if (in.skip(n) <= 0) {
                break;
            }
        }
    }

    private static void readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int n = in.read(b, off + done, len - done);
            if (n < 0) {
                throw new EOFException("connection closed after " + (off + done) + " bytes of the answer");
            }
            done += n;
        }
    }
}
