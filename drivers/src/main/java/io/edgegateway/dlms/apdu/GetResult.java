package io.edgegateway.dlms.apdu;

import io.edgegateway.dlms.axdr.AxdrReader;
import io.edgegateway.dlms.axdr.AxdrWriter;
import io.edgegateway.dlms.axdr.DlmsData;

/** Get-Data-Result: a value, or why there is none. */
public sealed interface GetResult {

    record Value(DlmsData data) implements GetResult {
    }

    record Failure(DataAccessResult result) implements GetResult {
    }

    static void write(AxdrWriter w, GetResult r) {
        switch (r) {
            case Value v -> w.u8(0).data(v.data());
            case Failure f -> w.u8(1).u8(f.result().code());
        }
    }

    static GetResult read(AxdrReader r) {
        int choice = r.u8();
        return switch (choice) {
            case 0 -> new Value(r.data());
            case 1 -> new Failure(DataAccessResult.of(r.u8()));
            default -> throw new io.edgegateway.dlms.MalformedException("unknown Get-Data-Result choice " + choice);
        };
    }

    /** Encodes a with-list result sequence (count, then results): the raw data of list block transfer. */
    static byte[] encodeList(java.util.List<GetResult> results) {
        AxdrWriter w = new AxdrWriter().length(results.size());
        results.forEach(r -> write(w, r));
        return w.toByteArray();
    }

    static java.util.List<GetResult> decodeList(AxdrReader r) {
        int n = r.length();
        if (n > r.remaining()) {
            throw new io.edgegateway.dlms.MalformedException("result list of " + n + " in " + r.remaining() + " bytes");
        }
        java.util.List<GetResult> out = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(read(r));
        }
        return out;
    }
}
