package io.edgegateway.dlms.apdu;

import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.axdr.AxdrReader;
import io.edgegateway.dlms.axdr.AxdrWriter;

/**
 * ACTION-Response (tag 0xC7) in blocks: the server asking for the next block of the parameters (next-pblock), or a
 * block of a long return (with-pblock, whose slices together are an Action-Response-With-Optional-Data). The
 * normal response is {@link ActionResponse}.
 */
public sealed interface ActionBlockResponse extends Apdu {

    int invokeIdAndPriority();

    /** Choice 2: a block of the response. */
    record With(int invokeIdAndPriority, SetRequest.DataBlock block) implements ActionBlockResponse {
        @Override
        public byte[] encode() {
            AxdrWriter w = new AxdrWriter().u8(ActionResponse.TAG).u8(2).u8(invokeIdAndPriority);
            block.write(w);
            return w.toByteArray();
        }
    }

    /** Choice 4: block {@code blockNumber} of the parameters arrived; send the next. */
    record Next(int invokeIdAndPriority, long blockNumber) implements ActionBlockResponse {
        @Override
        public byte[] encode() {
            return new AxdrWriter().u8(ActionResponse.TAG).u8(4).u8(invokeIdAndPriority).u32(blockNumber)
                    .toByteArray();
        }
    }

    static ActionBlockResponse decode(byte[] b) {
        AxdrReader r = new AxdrReader(b);
        r.u8();
        int choice = r.u8();
        int iip = r.u8();
        ActionBlockResponse a = switch (choice) {
            case 2 -> new With(iip, SetRequest.DataBlock.read(r));
            case 4 -> new Next(iip, r.u32());
            default -> throw new MalformedException("unsupported action-response choice " + choice);
        };
        r.expectEnd();
        return a;
    }
}
