package io.edgegateway.dlms.apdu;

import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.axdr.AxdrReader;
import io.edgegateway.dlms.axdr.AxdrWriter;

import java.util.Arrays;
import java.util.List;

/** GET-Response (tag 0xC4): normal, one data block of a long answer, or a list of results. */
public sealed interface GetResponse extends Apdu {

    int TAG = 0xC4;

    int invokeIdAndPriority();

    record Normal(int invokeIdAndPriority, GetResult result) implements GetResponse {
        @Override
        public byte[] encode() {
            AxdrWriter w = new AxdrWriter().u8(TAG).u8(1).u8(invokeIdAndPriority);
            GetResult.write(w, result);
            return w.toByteArray();
        }
    }

    /**
     * One block of a long answer. {@code rawData} is a slice of the encoded answer (the Data of a normal GET or
     * the result sequence of a with-list GET); when {@code failure} is set there is no data.
     */
    record WithDataBlock(int invokeIdAndPriority, boolean lastBlock, long blockNumber, byte[] rawData,
                         DataAccessResult failure) implements GetResponse {
        @Override
        public byte[] encode() {
            AxdrWriter w = new AxdrWriter().u8(TAG).u8(2).u8(invokeIdAndPriority).u8(lastBlock ? 1 : 0)
                    .u32(blockNumber);
            if (failure != null) {
                w.u8(1).u8(failure.code());
            } else {
                w.u8(0).octetString(rawData);
            }
            return w.toByteArray();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof WithDataBlock d && d.invokeIdAndPriority == invokeIdAndPriority
                    && d.lastBlock == lastBlock && d.blockNumber == blockNumber
                    && Arrays.equals(d.rawData, rawData) && d.failure == failure;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(blockNumber) * 31 + Arrays.hashCode(rawData);
        }

        /** Bytes of a block APDU around {@code dataLength} bytes of raw data. */
        public static int overhead(int dataLength) {
            return 9 + (dataLength < 0x80 ? 1 : dataLength <= 0xFF ? 2 : 3);
        }
    }

    record WithList(int invokeIdAndPriority, List<GetResult> results) implements GetResponse {
        public WithList {
            results = List.copyOf(results);
        }

        @Override
        public byte[] encode() {
            return new AxdrWriter().u8(TAG).u8(3).u8(invokeIdAndPriority).bytes(GetResult.encodeList(results))
                    .toByteArray();
        }
    }

    static GetResponse decode(byte[] b) {
        AxdrReader r = new AxdrReader(b);
        r.u8();
        int choice = r.u8();
        int iip = r.u8();
        GetResponse g = switch (choice) {
            case 1 -> new Normal(iip, GetResult.read(r));
            case 2 -> {
                boolean last = r.u8() != 0;
                long block = r.u32();
                int c = r.u8();
                yield switch (c) {
                    case 0 -> new WithDataBlock(iip, last, block, r.octetString(), null);
                    case 1 -> new WithDataBlock(iip, last, block, null, DataAccessResult.of(r.u8()));
                    default -> throw new MalformedException("unknown DataBlock-G result choice " + c);
                };
            }
            case 3 -> new WithList(iip, GetResult.decodeList(r));
            default -> throw new MalformedException("unknown get-response choice " + choice);
        };
        r.expectEnd();
        return g;
    }
}
