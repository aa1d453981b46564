package io.edgegateway.dlms.hdlc;

import io.edgegateway.dlms.Hex;
import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.apdu.Aarq;
import io.edgegateway.dlms.apdu.Apdu;
import io.edgegateway.dlms.apdu.Conformance;
import io.edgegateway.dlms.apdu.GetRequest;
import io.edgegateway.dlms.apdu.InitiateRequest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HDLC frames against published captures.
 *
 * <p>Sources:
 * <ul>
 *   <li>[KMETHY] "Examples for DLMS/COSEM information exchange", prepared by Gyozo Kmethy for the DLMS User
 *       Association (DLMS UA FAQ "Are examples for information exchange available?"): SNRM, UA with parameter
 *       negotiation, AARQ in an I-frame, 4-byte server address 1/0x11, client 0x10.</li>
 *   <li>[FORUM] Gurux forum thread "DLMS (HDLC) Packet Description needs" (gurux.fi node 20546, 2023): a
 *       GET-Request of Association LN attribute 1 from client 0x20 to server 1 in an I-frame.</li>
 * </ul>
 */
class HdlcFrameTest {

    private static final HdlcAddress SERVER_1_17 = new HdlcAddress(1, 0x11, 4);
    private static final HdlcAddress CLIENT_16 = HdlcAddress.client(16);

    @Test
    void crcCheckValue() {
        assertEquals(0x906E, Crc16.of("123456789".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void snrmWithoutParametersFromKmethy() {
        byte[] wire = Hex.bytes("7EA00A00020023219318717E");
        HdlcFrame snrm = new HdlcFrame(SERVER_1_17, CLIENT_16, HdlcControl.of(HdlcControl.Kind.SNRM, true), false, null);
        assertEquals(Hex.of(wire), Hex.of(snrm.encode()));
        assertEquals(snrm, HdlcFrame.decode(Arrays.copyOfRange(wire, 1, wire.length - 1)));
    }

    @Test
    void uaWithNegotiatedParametersFromKmethy() {
        byte[] wire = Hex.bytes("7EA023210002002373F6C58180140502008006020080070400000001080400000001CE6A7E");
        HdlcFrame ua = HdlcFrame.decode(Arrays.copyOfRange(wire, 1, wire.length - 1));
        assertEquals(HdlcControl.Kind.UA, ua.control().kind());
        assertTrue(ua.control().pollFinal());
        assertEquals(CLIENT_16, ua.destination());
        assertEquals(SERVER_1_17, ua.source());
        assertEquals(new HdlcParameters(128, 128, 1, 1), HdlcParameters.decode(ua.info()));
        assertEquals(Hex.of(wire), Hex.of(ua.encode()), "re-encodes byte for byte (HCS F6C5, FCS CE6A)");
    }

    @Test
    void aarqInAnIFrameFromKmethy() {
        byte[] wire = Hex.bytes("7EA02E0002002321107ECBE6E600601DA109060760857405080101BE10040E01000000065F1F040000301DFFFFD4C57E");
        HdlcFrame frame = HdlcFrame.decode(Arrays.copyOfRange(wire, 1, wire.length - 1));
        assertEquals(HdlcControl.info(0, 0, true), frame.control());
        byte[] info = frame.info();
        assertEquals("E6E600", Hex.of(Arrays.copyOf(info, 3)));
        Aarq aarq = (Aarq) Apdu.decode(Arrays.copyOfRange(info, 3, info.length));
        assertEquals(Aarq.CONTEXT_LN, aarq.applicationContext());
        InitiateRequest ir = InitiateRequest.decode(aarq.userInformation());
        assertEquals(6, ir.dlmsVersion());
        assertEquals(0xFFFF, ir.maxReceivePduSize());
        assertTrue(ir.conformance().has(Conformance.GET));
        assertTrue(ir.conformance().has(Conformance.BLOCK_TRANSFER_WITH_GET_OR_READ));
        assertFalse(ir.conformance().has(Conformance.MULTIPLE_REFERENCES));

        // Our encoder produces the same bytes from the same content.
        byte[] ours = new Aarq(Aarq.CONTEXT_LN, null, null, null,
                new InitiateRequest(null, true, null, 6, new Conformance(0x00301D), 0xFFFF).encode()).encode();
        byte[] llc = Hex.bytes("E6E600");
        byte[] payload = new byte[llc.length + ours.length];
        System.arraycopy(llc, 0, payload, 0, 3);
        System.arraycopy(ours, 0, payload, 3, ours.length);
        assertEquals(Hex.of(wire), Hex.of(new HdlcFrame(SERVER_1_17, CLIENT_16, HdlcControl.info(0, 0, true), false,
                payload).encode()));
    }

    @Test
    void getRequestInAnIFrameFromGuruxForum() {
        byte[] wire = Hex.bytes("7EA0190341B23239E6E600C001C1000F0000280000FF0100F9797E");
        HdlcFrame frame = HdlcFrame.decode(Arrays.copyOfRange(wire, 1, wire.length - 1));
        assertEquals(HdlcAddress.client(32), frame.source());
        assertEquals(new HdlcAddress(1, 0, 1), frame.destination());
        assertEquals(HdlcControl.info(1, 5, true), frame.control());
        byte[] info = frame.info();
        GetRequest.Normal get = (GetRequest.Normal) Apdu.decode(Arrays.copyOfRange(info, 3, info.length));
        assertEquals("15/0.0.40.0.0.255/1", get.attribute().toString());
        assertEquals(0xC1, get.invokeIdAndPriority());
        assertArrayEquals(wire, frame.encode());
    }

    @Test
    void addressesOfOneTwoAndFourBytes() {
        for (HdlcAddress a : new HdlcAddress[] {new HdlcAddress(1, 0, 1), new HdlcAddress(1, 17, 2),
                new HdlcAddress(1, 0x3FFF, 4), new HdlcAddress(0x3FFF, 12345, 4)}) {
            HdlcFrame f = new HdlcFrame(a, CLIENT_16, HdlcControl.receiveReady(3, true), false, null);
            byte[] w = f.encode();
            assertEquals(f, HdlcFrame.decode(Arrays.copyOfRange(w, 1, w.length - 1)), a.toString());
        }
        assertEquals(new HdlcAddress(1, 0, 1), HdlcAddress.server(1, 0, 0));
        assertEquals(new HdlcAddress(1, 17, 2), HdlcAddress.server(1, 17, 0));
        assertEquals(new HdlcAddress(1, 300, 4), HdlcAddress.server(1, 300, 0));
    }

    @Test
    void segmentedBitAndSequenceNumbersSurvive() {
        HdlcFrame f = new HdlcFrame(CLIENT_16, SERVER_1_17, HdlcControl.info(5, 2, false), true, new byte[100]);
        byte[] w = f.encode();
        assertEquals(0xA8, w[1] & 0xFF, "format byte carries the S bit");
        HdlcFrame back = HdlcFrame.decode(Arrays.copyOfRange(w, 1, w.length - 1));
        assertTrue(back.segmented());
        assertEquals(5, back.control().sendSequence());
        assertEquals(2, back.control().receiveSequence());
    }

    @Test
    void corruptFramesAreRejected() {
        byte[] wire = Hex.bytes("7EA0190341B23239E6E600C001C1000F0000280000FF0100F9797E");
        byte[] badFcs = wire.clone();
        badFcs[badFcs.length - 2] ^= 1;
        MalformedException e = assertThrows(MalformedException.class,
                () -> HdlcFrame.decode(Arrays.copyOfRange(badFcs, 1, badFcs.length - 1)));
        assertTrue(e.getMessage().contains("frame check sequence"), e.getMessage());
        byte[] badHcs = wire.clone();
        badHcs[7] ^= 1;
        badHcs[badHcs.length - 3] ^= 0; // FCS now also wrong; FCS is checked first
        assertThrows(MalformedException.class, () -> HdlcFrame.decode(Arrays.copyOfRange(badHcs, 1, badHcs.length - 1)));
        assertThrows(MalformedException.class, () -> HdlcFrame.decode(Arrays.copyOfRange(wire, 1, 12)), "truncated");
    }

    @Test
    void parametersRoundTrip() {
        HdlcParameters p = new HdlcParameters(512, 64, 3, 1);
        assertEquals(p, HdlcParameters.decode(p.encode()));
        assertEquals(HdlcParameters.DEFAULTS, HdlcParameters.decode(new byte[0]));
    }

    @Test
    void controlFieldsDecode() {
        assertEquals(HdlcControl.Kind.SNRM, HdlcControl.decode(0x93).kind());
        assertEquals(HdlcControl.Kind.UA, HdlcControl.decode(0x73).kind());
        assertEquals(HdlcControl.Kind.DISC, HdlcControl.decode(0x53).kind());
        assertEquals(HdlcControl.Kind.DM, HdlcControl.decode(0x1F).kind());
        assertEquals(HdlcControl.Kind.FRMR, HdlcControl.decode(0x97).kind());
        assertEquals(HdlcControl.receiveReady(4, true), HdlcControl.decode(0x91));
        assertEquals(HdlcControl.Kind.RNR, HdlcControl.decode(0x95).kind());
        for (int c = 0; c < 256; c++) {
            HdlcControl d = HdlcControl.decode(c);
            if (d.kind() != HdlcControl.Kind.OTHER) {
                assertEquals(c, d.encode(), "control 0x" + Integer.toHexString(c));
            }
        }
    }
}
