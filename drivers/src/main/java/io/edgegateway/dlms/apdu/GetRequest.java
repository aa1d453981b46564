package io.edgegateway.dlms.apdu;

import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.axdr.AxdrReader;
import io.edgegateway.dlms.axdr.AxdrWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * GET-Request (tag 0xC0): normal (optionally with selective access, e.g. a Profile Generic buffer by range),
 * next data block, or a list of attributes (without selective access).
 */
public sealed interface GetRequest extends Apdu {

    int TAG = 0xC0;

    /** invoke-id-and-priority: bits 0-3 invoke id, bit 6 confirmed, bit 7 high priority. */
    int invokeIdAndPriority();

    /** @param access selective access, or null for the whole attribute */
    record Normal(int invokeIdAndPriority, AttributeDescriptor attribute, AccessSelection access)
            implements GetRequest {

        public Normal(int invokeIdAndPriority, AttributeDescriptor attribute) {
            this(invokeIdAndPriority, attribute, null);
        }

        @Override
        public byte[] encode() {
            AxdrWriter w = new AxdrWriter().u8(TAG).u8(1).u8(invokeIdAndPriority);
            attribute.encode(w);
            AccessSelection.write(w, access);
            return w.toByteArray();
        }
    }

    record Next(int invokeIdAndPriority, long blockNumber) implements GetRequest {
        @Override
        public byte[] encode() {
            return new AxdrWriter().u8(TAG).u8(2).u8(invokeIdAndPriority).u32(blockNumber).toByteArray();
        }
    }

    record WithList(int invokeIdAndPriority, List<AttributeDescriptor> attributes) implements GetRequest {
        public WithList {
            attributes = List.copyOf(attributes);
        }

        @Override
        public byte[] encode() {
            AxdrWriter w = new AxdrWriter().u8(TAG).u8(3).u8(invokeIdAndPriority).length(attributes.size());
            attributes.forEach(a -> descriptor(w, a));
            return w.toByteArray();
        }
    }

    /** Encoded size of a with-list request for {@code n} attributes: lets a client fit lists into a PDU. */
    static int withListSize(int n) {
        return 3 + (n < 0x80 ? 1 : 3) + 10 * n;
    }

    private static void descriptor(AxdrWriter w, AttributeDescriptor a) {
        a.encode(w);
        w.u8(0); // no access-selection
    }

    private static AttributeDescriptor descriptor(AxdrReader r) {
        AttributeDescriptor a = AttributeDescriptor.decode(r);
        if (r.u8() != 0) {
            throw new MalformedException("selective access in a get-request-with-list is not supported");
        }
        return a;
    }

    static GetRequest decode(byte[] b) {
        AxdrReader r = new AxdrReader(b);
        r.u8();
        int choice = r.u8();
        int iip = r.u8();
        GetRequest g = switch (choice) {
            case 1 -> new Normal(iip, AttributeDescriptor.decode(r), AccessSelection.read(r));
            case 2 -> new Next(iip, r.u32());
            case 3 -> {
                int n = r.length();
                if (n > r.remaining() / 10) {
                    throw new MalformedException("get-request-with-list of " + n + " in " + r.remaining() + " bytes");
                }
                List<AttributeDescriptor> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(descriptor(r));
                }
                yield new WithList(iip, list);
            }
            default -> throw new MalformedException("unknown get-request choice " + choice);
        };
        r.expectEnd();
        return g;
    }
}
