package io.edgegateway.dlms.apdu;

import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.axdr.AxdrReader;
import io.edgegateway.dlms.axdr.AxdrWriter;
import io.edgegateway.dlms.axdr.DlmsData;

/**
 * ACTION-Request-Normal (tag 0xC3, choice 1): invoke a method of one object, e.g. reply_to_HLS_authentication
 * (method 1) of Association LN.
 *
 * @param parameters the method's invocation parameters, or null
 */
public record ActionRequest(int invokeIdAndPriority, int classId, ObisCode obis, int method, DlmsData parameters)
        implements Apdu {

    public static final int TAG = 0xC3;

    @Override
    public byte[] encode() {
        AxdrWriter w = new AxdrWriter().u8(TAG).u8(1).u8(invokeIdAndPriority).u16(classId).bytes(obis.toBytes())
                .u8(method);
        if (parameters == null) {
            w.u8(0);
        } else {
            w.u8(1).data(parameters);
        }
        return w.toByteArray();
    }

    static ActionRequest decode(byte[] b) {
        AxdrReader r = new AxdrReader(b);
        r.u8();
        int choice = r.u8();
        if (choice != 1) {
            throw new MalformedException("only action-request-normal is supported, got choice " + choice);
        }
        int iip = r.u8();
        int classId = r.u16();
        ObisCode obis = ObisCode.fromBytes(r.bytes(6), 0);
        int method = r.u8();
        DlmsData params = r.u8() != 0 ? r.data() : null;
        r.expectEnd();
        return new ActionRequest(iip, classId, obis, method, params);
    }
}
