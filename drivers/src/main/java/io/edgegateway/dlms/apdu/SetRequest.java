package io.edgegateway.dlms.apdu;

import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.axdr.AxdrReader;
import io.edgegateway.dlms.axdr.AxdrWriter;
import io.edgegateway.dlms.axdr.DlmsData;

/**
 * SET-Request (tag 0xC1): normal, or a value too large for one PDU sent as data blocks (with-first-datablock,
 * then with-datablock until the last). Lists are not sent.
 */
public sealed interface SetRequest extends Apdu {

    int TAG = 0xC1;

    int invokeIdAndPriority();

    /** @param access selective access, or null */
    record Normal(int invokeIdAndPriority, AttributeDescriptor attribute, AccessSelection access, DlmsData value)
            implements SetRequest {
        @Override
        public byte[] encode() {
            AxdrWriter w = new AxdrWriter().u8(TAG).u8(1).u8(invokeIdAndPriority);
            attribute.encode(w);
            AccessSelection.write(w, access);
            return w.data(value).toByteArray();
        }
    }

    /** The first block of an encoded value: the attribute, then DataBlock-SA with block number 1. */
    record FirstBlock(int invokeIdAndPriority, AttributeDescriptor attribute, AccessSelection access,
                      DataBlock block) implements SetRequest {
        @Override
        public byte[] encode() {
            AxdrWriter w = new AxdrWriter().u8(TAG).u8(2).u8(invokeIdAndPriority);
            attribute.encode(w);
            AccessSelection.write(w, access);
            block.write(w);
            return w.toByteArray();
        }
    }

    record WithBlock(int invokeIdAndPriority, DataBlock block) implements SetRequest {
        @Override
        public byte[] encode() {
            AxdrWriter w = new AxdrWriter().u8(TAG).u8(3).u8(invokeIdAndPriority);
            block.write(w);
            return w.toByteArray();
        }
    }

    /** DataBlock-SA: last-block, block-number, raw-data (a slice of the A-XDR encoded value). */
    record DataBlock(boolean lastBlock, long blockNumber, byte[] rawData) {
        public DataBlock {
            rawData = rawData.clone();
        }

        @Override
        public byte[] rawData() {
            return rawData.clone();
        }

        /** {@code encoded} cut into blocks of at most {@code size} bytes, numbered from 1, the last one marked. */
        public static java.util.List<DataBlock> slices(byte[] encoded, int size) {
            java.util.List<DataBlock> out = new java.util.ArrayList<>();
            for (int from = 0, number = 1; from < encoded.length || number == 1; from += size, number++) {
                int to = Math.min(encoded.length, from + size);
                out.add(new DataBlock(to == encoded.length, number, java.util.Arrays.copyOfRange(encoded, from, to)));
            }
            return out;
        }

        void write(AxdrWriter w) {
            w.u8(lastBlock ? 1 : 0).u32(blockNumber).octetString(rawData);
        }

        static DataBlock read(AxdrReader r) {
            boolean last = r.u8() != 0;
            long number = r.u32();
            return new DataBlock(last, number, r.octetString());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DataBlock b && b.lastBlock == lastBlock && b.blockNumber == blockNumber
                    && java.util.Arrays.equals(b.rawData, rawData);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(blockNumber) * 31 + java.util.Arrays.hashCode(rawData);
        }
    }

    static SetRequest decode(byte[] b) {
        AxdrReader r = new AxdrReader(b);
        r.u8();
        int choice = r.u8();
        int iip = r.u8();
        SetRequest s = switch (choice) {
            case 1 -> {
                AttributeDescriptor a = AttributeDescriptor.decode(r);
                AccessSelection access = AccessSelection.read(r);
                yield new Normal(iip, a, access, r.data());
            }
            case 2 -> {
                AttributeDescriptor a = AttributeDescriptor.decode(r);
                AccessSelection access = AccessSelection.read(r);
                yield new FirstBlock(iip, a, access, DataBlock.read(r));
            }
            case 3 -> new WithBlock(iip, DataBlock.read(r));
            default -> throw new MalformedException("unsupported set-request choice " + choice);
        };
        r.expectEnd();
        return s;
    }
}
