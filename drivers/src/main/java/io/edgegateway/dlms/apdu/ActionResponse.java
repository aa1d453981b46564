package io.edgegateway.dlms.apdu;

import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.axdr.AxdrReader;
import io.edgegateway.dlms.axdr.AxdrWriter;

/**
 * ACTION-Response-Normal (tag 0xC7, choice 1).
 *
 * @param result        Action-Result: 0 success, 3 read-write-denied, 4 object-undefined, ... (same codes as
 *                      Data-Access-Result for the common cases)
 * @param returnValue   the method's return parameters, or null
 */
public record ActionResponse(int invokeIdAndPriority, int result, GetResult returnValue) implements Apdu {

    public static final int TAG = 0xC7;

    @Override
    public byte[] encode() {
        AxdrWriter w = new AxdrWriter().u8(TAG).u8(1).u8(invokeIdAndPriority).u8(result);
        if (returnValue == null) {
            w.u8(0);
        } else {
            w.u8(1);
            GetResult.write(w, returnValue);
        }
        return w.toByteArray();
    }

    static ActionResponse decode(byte[] b) {
        AxdrReader r = new AxdrReader(b);
        r.u8();
        int choice = r.u8();
        if (choice != 1) {
            throw new MalformedException("only action-response-normal is supported, got choice " + choice);
        }
        int iip = r.u8();
        int result = r.u8();
        GetResult ret = r.u8() != 0 ? GetResult.read(r) : null;
        r.expectEnd();
        return new ActionResponse(iip, result, ret);
    }
}
