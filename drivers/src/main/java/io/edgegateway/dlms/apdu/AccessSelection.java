package io.edgegateway.dlms.apdu;

import io.edgegateway.dlms.axdr.AxdrReader;
import io.edgegateway.dlms.axdr.AxdrWriter;
import io.edgegateway.dlms.axdr.DlmsData;

/**
 * Selective-Access-Descriptor of a GET or SET: the access selector the object's class defines (Profile Generic:
 * 1 by range, 2 by entry) and its parameters. {@code io.edgegateway.dlms.cosem.BufferSelection} builds and reads
 * the Profile Generic ones.
 */
public record AccessSelection(int selector, DlmsData parameters) {

    public AccessSelection {
        if (selector < 0 || selector > 255) {
            throw new IllegalArgumentException("access selector " + selector + " out of range 0..255");
        }
        if (parameters == null) {
            throw new IllegalArgumentException("access parameters are required (null-data if none)");
        }
    }

    /** Writes the optional field: 0 when absent, else 1, the selector and the parameters. */
    static void write(AxdrWriter w, AccessSelection a) {
        if (a == null) {
            w.u8(0);
        } else {
            w.u8(1).u8(a.selector).data(a.parameters);
        }
    }

    static AccessSelection read(AxdrReader r) {
        return r.u8() == 0 ? null : new AccessSelection(r.u8(), r.data());
    }
}
