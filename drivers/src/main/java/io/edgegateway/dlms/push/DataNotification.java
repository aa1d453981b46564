package io.edgegateway.dlms.push;

import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.axdr.AxdrReader;
import io.edgegateway.dlms.axdr.AxdrWriter;
import io.edgegateway.dlms.axdr.CosemDateTime;
import io.edgegateway.dlms.axdr.DlmsData;

import java.util.Objects;
import java.util.Optional;

/**
 * Data-Notification (tag 0x0F), A-XDR: long-invoke-id-and-priority (Unsigned32), date-time (an OCTET STRING with
 * its length: 0 when absent, else the 12-byte COSEM date-time), then the notification body, one Data (a Push
 * setup sends a structure with one element per entry of its push_object_list).
 *
 * <p>Kept out of the sealed {@link io.edgegateway.dlms.apdu.Apdu} hierarchy: a client never receives one inside an
 * association here, and a push is decoded by {@link PushDecoder} alone.
 *
 * @param longInvokeIdAndPriority bits 0-23 the invoke id, bit 28 self-descriptive, bit 29 break-on-error, bit 30
 *                                confirmed, bit 31 high priority
 * @param dateTime                when the meter sent it, if it says
 * @param body                    the pushed values
 */
public record DataNotification(long longInvokeIdAndPriority, Optional<CosemDateTime> dateTime, DlmsData body) {

    public static final int TAG = 0x0F;

    public DataNotification {
        if (longInvokeIdAndPriority < 0 || longInvokeIdAndPriority > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("long-invoke-id-and-priority is an Unsigned32");
        }
        Objects.requireNonNull(dateTime, "dateTime");
        Objects.requireNonNull(body, "body");
    }

    /** Bits 0-23. */
    public int invokeId() {
        return (int) (longInvokeIdAndPriority & 0xFF_FFFF);
    }

    /** Bit 31. */
    public boolean highPriority() {
        return (longInvokeIdAndPriority & 0x8000_0000L) != 0;
    }

    public byte[] encode() {
        AxdrWriter w = new AxdrWriter().u8(TAG).u32(longInvokeIdAndPriority);
        dateTime.ifPresentOrElse(t -> w.octetString(t.toBytes()), () -> w.length(0));
        return w.data(body).toByteArray();
    }

    public static DataNotification decode(byte[] b) {
        AxdrReader r = new AxdrReader(b);
        int tag = r.u8();
        if (tag != TAG) {
            throw new MalformedException("not a Data-Notification: tag 0x" + Integer.toHexString(tag));
        }
        long liip = r.u32();
        int n = r.length();
        Optional<CosemDateTime> time = switch (n) {
            case 0 -> Optional.empty();
            case 12 -> Optional.of(CosemDateTime.fromBytes(r.bytes(12)));
            default -> throw new MalformedException("Data-Notification date-time of " + n + " bytes (0 or 12)");
        };
        DlmsData body = r.data();
        r.expectEnd();
        return new DataNotification(liip, time, body);
    }
}
