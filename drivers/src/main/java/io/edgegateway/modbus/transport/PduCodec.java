package io.edgegateway.modbus.transport;

import com.ghgande.j2mod.modbus.msg.ModbusRequest;
import com.ghgande.j2mod.modbus.msg.ModbusResponse;
import com.ghgande.j2mod.modbus.msg.ReadCoilsRequest;
import com.ghgande.j2mod.modbus.msg.ReadCoilsResponse;
import com.ghgande.j2mod.modbus.msg.ReadInputDiscretesRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputDiscretesResponse;
import com.ghgande.j2mod.modbus.msg.ReadInputRegistersRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputRegistersResponse;
import com.ghgande.j2mod.modbus.msg.ReadMultipleRegistersRequest;
import com.ghgande.j2mod.modbus.msg.ReadMultipleRegistersResponse;
import com.ghgande.j2mod.modbus.msg.WriteCoilRequest;
import com.ghgande.j2mod.modbus.msg.WriteCoilResponse;
import com.ghgande.j2mod.modbus.msg.WriteMultipleCoilsRequest;
import com.ghgande.j2mod.modbus.msg.WriteMultipleCoilsResponse;
import com.ghgande.j2mod.modbus.msg.WriteMultipleRegistersRequest;
import com.ghgande.j2mod.modbus.msg.WriteMultipleRegistersResponse;
import com.ghgande.j2mod.modbus.msg.WriteSingleRegisterRequest;
import com.ghgande.j2mod.modbus.msg.WriteSingleRegisterResponse;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.util.BitVector;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;

/**
 * PDU bytes of our requests and answers, by j2mod's message classes. The framing around them (MBAP, RTU with
 * CRC), the deadlines and the checks are ours ({@link MbapTransport}, {@link RtuTransport}); j2mod's transports are
 * not used, because they time out per read rather than per answer, drop the cause of a failure, and cannot skip a
 * late answer without reconnecting (docs/protocols.md, "j2mod").
 *
 * <p>A PDU is checked for form before j2mod reads it: a byte count that promises more than the frame holds is
 * refused here with that reason, not left to surface as an index error from inside the library.
 */
final class PduCodec {

    private PduCodec() {
    }

    /** The request's PDU: function code, then data. */
    static byte[] encode(RequestPdu request) {
        ModbusRequest m = switch (request) {
            case RequestPdu.Read r -> switch (r.table()) {
                case COIL -> new ReadCoilsRequest(r.start(), r.count());
                case DISCRETE_INPUT -> new ReadInputDiscretesRequest(r.start(), r.count());
                case HOLDING -> new ReadMultipleRegistersRequest(r.start(), r.count());
                case INPUT -> new ReadInputRegistersRequest(r.start(), r.count());
            };
            case RequestPdu.WriteCoil w -> new WriteCoilRequest(w.address(), w.on());
            case RequestPdu.WriteRegister w -> new WriteSingleRegisterRequest(w.address(), new SimpleRegister(w.value()));
            case RequestPdu.WriteCoils w -> {
                BitVector v = new BitVector(w.values().length);
                for (int i = 0; i < w.values().length; i++) {
                    v.setBit(i, w.values()[i]);
                }
                yield new WriteMultipleCoilsRequest(w.start(), v);
            }
            case RequestPdu.WriteRegisters w -> {
                Register[] regs = new Register[w.count()];
                for (int i = 0; i < regs.length; i++) {
                    regs[i] = new SimpleRegister(w.data()[2 * i], w.data()[2 * i + 1]);
                }
                yield new WriteMultipleRegistersRequest(w.start(), regs);
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 + 2 * 123);
        out.write(m.getFunctionCode());
        try {
            m.writeData(new DataOutputStream(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    /**
     * The answer in {@code pdu} (function code first) to {@code request}.
     *
     * @throws MalformedPdu when the bytes do not make a PDU of the function they name
     */
    static AnswerPdu decode(RequestPdu request, byte[] pdu) throws MalformedPdu {
        if (pdu.length < 2) {
            throw new MalformedPdu("answer of " + pdu.length + " byte(s) holds no PDU");
        }
        int function = pdu[0] & 0xFF;
        if ((function & 0x80) != 0) {
            if (pdu.length != 2) {
                throw new MalformedPdu("exception answer of " + pdu.length + " bytes (expected 2)");
            }
            return new AnswerPdu.Exception(function & 0x7F, pdu[1] & 0xFF);
        }
        ModbusResponse m = ModbusResponse.createModbusResponse(function);
        switch (function) {
            case 1, 2, 3, 4 -> {
                int byteCount = pdu[1] & 0xFF;
                if (pdu.length - 2 < byteCount) {
                    throw new MalformedPdu("answer shorter than its byte count (" + (pdu.length - 2) + " of "
                            + byteCount + " bytes)");
                }
                if (pdu.length - 2 > byteCount) {
                    throw new MalformedPdu("answer longer than its byte count (" + (pdu.length - 2) + " bytes, count "
                            + byteCount + ")");
                }
                if (function >= 3 && byteCount % 2 != 0) {
                    throw new MalformedPdu("register answer with an odd byte count " + byteCount);
                }
            }
            case 5, 6, 15, 16 -> {
                if (pdu.length != 5) {
                    throw new MalformedPdu(String.format(Locale.ROOT, "FC%02d answer of %d bytes (expected 5)",
                            function, pdu.length));
                }
            }
            default -> throw new MalformedPdu(String.format(Locale.ROOT, "answer with function code 0x%02X", function));
        }
        if (function == 3 || function == 4) {
            // The checks above leave nothing to parse: the registers are the bytes after the count. j2mod would
            // make an object per register only for us to copy them back (a tenth of the gateway's allocation).
            return new AnswerPdu.Registers(function, Arrays.copyOfRange(pdu, 2, pdu.length));
        }
        try {
            m.readData(new DataInputStream(new ByteArrayInputStream(pdu, 1, pdu.length - 1)));
        } catch (IOException | RuntimeException e) {
            throw new MalformedPdu(String.format(Locale.ROOT, "FC%02d answer does not parse", function));
        }
        return switch (m) {
            case ReadMultipleRegistersResponse r -> new AnswerPdu.Registers(3, registers(r.getRegisters()));
            case ReadInputRegistersResponse r -> new AnswerPdu.Registers(4, registers(r.getRegisters()));
            case ReadCoilsResponse r -> new AnswerPdu.Bits(1, bits(r.getCoils(), bitCount(request)), pdu[1] & 0xFF);
            case ReadInputDiscretesResponse r ->
                    new AnswerPdu.Bits(2, bits(r.getDiscretes(), bitCount(request)), pdu[1] & 0xFF);
            case WriteCoilResponse r -> new AnswerPdu.Echo(5, r.getReference(), r.getCoil() ? 0xFF00 : 0);
            case WriteSingleRegisterResponse r -> new AnswerPdu.Echo(6, r.getReference(), r.getRegisterValue() & 0xFFFF);
            case WriteMultipleCoilsResponse r -> new AnswerPdu.Echo(15, r.getReference(), r.getBitCount());
            case WriteMultipleRegistersResponse r -> new AnswerPdu.Echo(16, r.getReference(), r.getWordCount());
            default -> throw new MalformedPdu(String.format(Locale.ROOT, "answer with function code 0x%02X", function));
        };
    }

    /** Bits the request asked for; an answer to another request keeps what its byte count holds. */
    private static int bitCount(RequestPdu request) {
        return request instanceof RequestPdu.Read r && r.table().isBits() ? r.count() : Integer.MAX_VALUE;
    }

    private static byte[] registers(InputRegister[] regs) {
        byte[] data = new byte[2 * regs.length];
        for (int i = 0; i < regs.length; i++) {
            byte[] b = regs[i].toBytes();
            data[2 * i] = b[0];
            data[2 * i + 1] = b[1];
        }
        return data;
    }

    private static byte[] bits(BitVector v, int wanted) {
        int n = Math.min(wanted, v.size());
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) (v.getBit(i) ? 1 : 0);
        }
        return out;
    }

    /** Bytes that name a function but are not a valid PDU of it. */
    static final class MalformedPdu extends Exception {
        MalformedPdu(String message) {
            super(message);
        }
    }
}
