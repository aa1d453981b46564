package io.edgegateway.dlms.hdlc;

/**
 * The control byte of an HDLC frame: its kind, the send and receive sequence numbers (I and S frames, modulo 8)
 * and the poll/final bit.
 */
public record HdlcControl(Kind kind, int sendSequence, int receiveSequence, boolean pollFinal) {

    public enum Kind {
        /** Information, numbered. */
        I,
        /** Receive ready: acknowledges up to N(R)-1, asks for more. */
        RR,
        /** Receive not ready. */
        RNR,
        /** Set normal response mode: opens the link (client to server). */
        SNRM,
        /** Disconnect. */
        DISC,
        /** Unnumbered acknowledge. */
        UA,
        /** Disconnected mode: the server is not connected / refuses. */
        DM,
        /** Frame reject: the receiver could not accept a frame. */
        FRMR,
        /** Unnumbered information. */
        UI,
        /** Anything else (REJ, SREJ and unknown U-frames): not used by DLMS. */
        OTHER
    }

    public static HdlcControl info(int ns, int nr, boolean poll) {
        return new HdlcControl(Kind.I, ns & 7, nr & 7, poll);
    }

    public static HdlcControl of(Kind kind, boolean poll) {
        return new HdlcControl(kind, 0, 0, poll);
    }

    public static HdlcControl receiveReady(int nr, boolean poll) {
        return new HdlcControl(Kind.RR, 0, nr & 7, poll);
    }

    public int encode() {
        int pf = pollFinal ? 0x10 : 0;
        return switch (kind) {
            case I -> (receiveSequence << 5) | pf | (sendSequence << 1);
            case RR -> (receiveSequence << 5) | pf | 0x01;
            case RNR -> (receiveSequence << 5) | pf | 0x05;
            case SNRM -> 0x83 | pf;
            case DISC -> 0x43 | pf;
            case UA -> 0x63 | pf;
            case DM -> 0x0F | pf;
            case FRMR -> 0x87 | pf;
            case UI -> 0x03 | pf;
            case OTHER -> throw new IllegalArgumentException("cannot encode an unknown control field");
        };
    }

    public static HdlcControl decode(int c) {
        boolean pf = (c & 0x10) != 0;
        if ((c & 1) == 0) {
            return new HdlcControl(Kind.I, (c >> 1) & 7, (c >> 5) & 7, pf);
        }
        if ((c & 3) == 1) {
            int nr = (c >> 5) & 7;
            return switch (c & 0x0F) {
                case 0x01 -> new HdlcControl(Kind.RR, 0, nr, pf);
                case 0x05 -> new HdlcControl(Kind.RNR, 0, nr, pf);
                default -> new HdlcControl(Kind.OTHER, 0, nr, pf);
            };
        }
        Kind k = switch (c & 0xEF) {
            case 0x83 -> Kind.SNRM;
            case 0x43 -> Kind.DISC;
            case 0x63 -> Kind.UA;
            case 0x0F -> Kind.DM;
            case 0x87 -> Kind.FRMR;
            case 0x03 -> Kind.UI;
            default -> Kind.OTHER;
        };
        return new HdlcControl(k, 0, 0, pf);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case I -> "I(S" + sendSequence + ",R" + receiveSequence + (pollFinal ? ",P/F" : "") + ")";
            case RR, RNR -> kind + "(R" + receiveSequence + (pollFinal ? ",P/F" : "") + ")";
            default -> kind + (pollFinal ? "(P/F)" : "");
        };
    }
}
