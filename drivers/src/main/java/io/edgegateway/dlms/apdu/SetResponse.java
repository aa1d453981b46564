package io.edgegateway.dlms.apdu;

import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.axdr.AxdrReader;
import io.edgegateway.dlms.axdr.AxdrWriter;

/**
 * SET-Response (tag 0xC5): the result of a normal SET, the acknowledgement of one data block, or the result
 * after the last block.
 */
public sealed interface SetResponse extends Apdu {

    int TAG = 0xC5;

    int invokeIdAndPriority();

    record Normal(int invokeIdAndPriority, DataAccessResult result) implements SetResponse {
        @Override
        public byte[] encode() {
            return new AxdrWriter().u8(TAG).u8(1).u8(invokeIdAndPriority).u8(result.code()).toByteArray();
        }
    }

    /** The server took block {@code blockNumber} and waits for the next. */
    record BlockAccepted(int invokeIdAndPriority, long blockNumber) implements SetResponse {
        @Override
        public byte[] encode() {
            return new AxdrWriter().u8(TAG).u8(2).u8(invokeIdAndPriority).u32(blockNumber).toByteArray();
        }
    }

    /** The result once the last block arrived. */
    record LastBlock(int invokeIdAndPriority, DataAccessResult result, long blockNumber) implements SetResponse {
        @Override
        public byte[] encode() {
            return new AxdrWriter().u8(TAG).u8(3).u8(invokeIdAndPriority).u8(result.code()).u32(blockNumber)
                    .toByteArray();
        }
    }

    static SetResponse decode(byte[] b) {
        AxdrReader r = new AxdrReader(b);
        r.u8();
        int choice = r.u8();
        int iip = r.u8();
        SetResponse s = switch (choice) {
            case 1 -> new Normal(iip, DataAccessResult.of(r.u8()));
            case 2 -> new BlockAccepted(iip, r.u32());
            case 3 -> new LastBlock(iip, DataAccessResult.of(r.u8()), r.u32());
            default -> throw new MalformedException("unsupported set-response choice " + choice);
        };
        r.expectEnd();
        return s;
    }
}
