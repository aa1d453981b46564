package io.edgegateway.dlms.apdu;

import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.axdr.AxdrReader;
import io.edgegateway.dlms.axdr.AxdrWriter;

/**
 * ACTION-Request (tag 0xC3) in blocks: method parameters too large for one PDU go as DataBlock-SA slices of their
 * A-XDR encoding (with-first-pblock, then with-pblock until the last), and a long return is fetched with
 * next-pblock. The normal request is {@link ActionRequest}.
 */
public sealed interface ActionBlockRequest extends Apdu {

    int invokeIdAndPriority();

    /** Choice 4: the method, and block 1 of its parameters. */
    record First(int invokeIdAndPriority, int classId, ObisCode obis, int method, SetRequest.DataBlock block)
            implements ActionBlockRequest {
        @Override
        public byte[] encode() {
            AxdrWriter w = new AxdrWriter().u8(ActionRequest.TAG).u8(4).u8(invokeIdAndPriority).u16(classId)
                    .bytes(obis.toBytes()).u8(method);
            block.write(w);
            return w.toByteArray();
        }
    }

    /** Choice 6: the next block of the parameters. */
    record With(int invokeIdAndPriority, SetRequest.DataBlock block) implements ActionBlockRequest {
        @Override
        public byte[] encode() {
            AxdrWriter w = new AxdrWriter().u8(ActionRequest.TAG).u8(6).u8(invokeIdAndPriority);
            block.write(w);
            return w.toByteArray();
        }
    }

    /** Choice 2: the block after {@code blockNumber} of a long return, please. */
    record Next(int invokeIdAndPriority, long blockNumber) implements ActionBlockRequest {
        @Override
        public byte[] encode() {
            return new AxdrWriter().u8(ActionRequest.TAG).u8(2).u8(invokeIdAndPriority).u32(blockNumber)
                    .toByteArray();
        }
    }

    static ActionBlockRequest decode(byte[] b) {
        AxdrReader r = new AxdrReader(b);
        r.u8();
        int choice = r.u8();
        int iip = r.u8();
        ActionBlockRequest a = switch (choice) {
            case 2 -> new Next(iip, r.u32());
            case 4 -> {
                int classId = r.u16();
                ObisCode obis = ObisCode.fromBytes(r.bytes(6), 0);
                int method = r.u8();
                yield new First(iip, classId, obis, method, SetRequest.DataBlock.read(r));
            }
            case 6 -> new With(iip, SetRequest.DataBlock.read(r));
            default -> throw new MalformedException("unsupported action-request choice " + choice);
        };
        r.expectEnd();
        return a;
    }
}
