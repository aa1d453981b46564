package io.edgegateway.dlms.apdu;

import io.edgegateway.dlms.Hex;
import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.axdr.DataTag;
import io.edgegateway.dlms.axdr.DlmsData;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** APDU encodings, byte for byte from the ASN.1 / A-XDR rules, and decode(encode(x)) == x. */
class ApduTest {

    private static final AttributeDescriptor CLOCK = new AttributeDescriptor(8, ObisCode.parse("0.0.1.0.0.255"), 2);

    @Test
    void getRequestNormalMatchesTheCipheringExamplePlaintext() {
        // The plaintext of the Green Book glo-get-request example: invoke id 0, clock time.
        assertEquals("C0010000080000010000FF0200", Hex.of(new GetRequest.Normal(0x00, CLOCK).encode()));
        assertEquals(new GetRequest.Normal(0x00, CLOCK), Apdu.decode(Hex.bytes("C0010000080000010000FF0200")));
    }

    /**
     * The xDLMS data transfer examples of the standard (DLMS UA 1000-2 Green Book Ed. 7, pp. 285 and 288; IEC
     * 62056-5-3 Annex F.1): GET, GET-with-list and SET of Data objects 0.0.128.0.0.255 and 0.0.128.1.0.255
     * (class 1, value), whose value is the 50-octet string 01 02 .. 09 10 11 .. 50. Annex F writes invoke-id-and-
     * priority C1, the Ed. 7 pages 81.
     */
    @Test
    void theStandardsDataTransferExamples() {
        AttributeDescriptor data0 = new AttributeDescriptor(1, ObisCode.parse("0.0.128.0.0.255"), 2);
        AttributeDescriptor data1 = new AttributeDescriptor(1, ObisCode.parse("0.0.128.1.0.255"), 2);
        assertEquals("C00181" + "0001" + "0000800000FF" + "02" + "00",
                Hex.of(new GetRequest.Normal(0x81, data0).encode()));
        assertEquals(new GetRequest.Normal(0xC1, data0),
                Apdu.decode(Hex.bytes("C001C1" + "0001" + "0000800000FF" + "0200")));
        assertEquals("C0038102" + "0001" + "0000800000FF" + "0200" + "0001" + "0000800100FF" + "0200",
                Hex.of(new GetRequest.WithList(0x81, List.of(data0, data1)).encode()));
        StringBuilder fifty = new StringBuilder();
        for (int i = 1; i <= 50; i++) {
            fifty.append(i / 10).append(i % 10); // the octets read 01 02 .. 09 10 11 .. 50 in hex
        }
        DlmsData octets = new DlmsData.OctetString(Hex.bytes(fifty.toString()));
        String response = "C4018100" + "0932" + fifty;
        assertEquals(response, Hex.of(new GetResponse.Normal(0x81, new GetResult.Value(octets)).encode()));
        GetResponse.Normal decoded = assertInstanceOf(GetResponse.Normal.class, Apdu.decode(Hex.bytes(response)));
        assertArrayEquals(Hex.bytes(fifty.toString()),
                ((DlmsData.OctetString) ((GetResult.Value) decoded.result()).data()).value());
        String set = "C101C1" + "0001" + "0000800000FF" + "02" + "00" + "0932" + fifty;
        assertEquals(set, Hex.of(new SetRequest.Normal(0xC1, data0, null, octets).encode()));
        assertEquals(new SetResponse.Normal(0xC1, DataAccessResult.SUCCESS), Apdu.decode(Hex.bytes("C501C100")));
        // Annex F.8, SET-Request-With-Datablock, the last block (number 3) of 17 octets.
        SetRequest.DataBlock last = new SetRequest.DataBlock(true, 3, Hex.bytes("3940414243444546474849500A03303030"));
        assertEquals("C103C1" + "01" + "00000003" + "11" + "3940414243444546474849500A03303030",
                Hex.of(new SetRequest.WithBlock(0xC1, last).encode()));
    }

    @Test
    void getRequestNextAndWithList() {
        assertEquals("C002C100000003", Hex.of(new GetRequest.Next(0xC1, 3).encode()));
        GetRequest.WithList l = new GetRequest.WithList(0xC2, List.of(CLOCK, new AttributeDescriptor(3, ObisCode.parse("1.0.1.8.0.255"), 2)));
        byte[] b = l.encode();
        assertEquals("C003C2020008" + "0000010000FF0200" + "0003" + "0100010800FF0200", Hex.of(b));
        assertEquals(b.length, GetRequest.withListSize(2));
        assertEquals(l, Apdu.decode(b));
    }

    @Test
    void getResponsesOfEveryKind() {
        GetResponse.Normal ok = new GetResponse.Normal(0xC1, new GetResult.Value(DlmsData.Int.of(DataTag.LONG_UNSIGNED, 2305)));
        assertEquals("C401C100120901", Hex.of(ok.encode()));
        assertEquals(ok, Apdu.decode(ok.encode()));
        GetResponse.Normal fail = new GetResponse.Normal(0xC1, new GetResult.Failure(DataAccessResult.OBJECT_UNDEFINED));
        assertEquals("C401C10104", Hex.of(fail.encode()));
        assertEquals(fail, Apdu.decode(fail.encode()));
        GetResponse.WithDataBlock block = new GetResponse.WithDataBlock(0xC1, false, 1, Hex.bytes("0102"), null);
        assertEquals("C402C1000000000100020102", Hex.of(block.encode()));
        assertEquals(block, Apdu.decode(block.encode()));
        GetResponse.WithDataBlock blockFail = new GetResponse.WithDataBlock(0xC1, true, 2, null,
                DataAccessResult.DATA_BLOCK_NUMBER_INVALID);
        assertEquals(blockFail, Apdu.decode(blockFail.encode()));
        GetResponse.WithList list = new GetResponse.WithList(0xC1, List.of(
                new GetResult.Value(DlmsData.Null.INSTANCE), new GetResult.Failure(DataAccessResult.READ_WRITE_DENIED)));
        assertEquals("C403C102000001 03".replace(" ", ""), Hex.of(list.encode()));
        assertEquals(list, Apdu.decode(list.encode()));
    }

    @Test
    void associationRequestsAndResponses() {
        InitiateRequest ir = new InitiateRequest(null, true, null, 6,
                Conformance.of(Conformance.GET, Conformance.BLOCK_TRANSFER_WITH_GET_OR_READ), 1024);
        Aarq lls = new Aarq(Aarq.CONTEXT_LN, null, Aarq.MECHANISM_LLS, "12345678".getBytes(), ir.encode());
        assertEquals("6036A109060760857405080101" + "8A020780" + "8B0760857405080201" + "AC0A80083132333435363738"
                + "BE10040E01000000065F1F040000101004 00".replace(" ", ""), Hex.of(lls.encode()));
        Aarq back = (Aarq) Apdu.decode(lls.encode());
        assertEquals(1, back.mechanism());
        assertArrayEquals("12345678".getBytes(), back.authenticationValue());
        assertEquals(ir.conformance(), InitiateRequest.decode(back.userInformation()).conformance());

        // The classic AARE accepting a public client: LN context, accepted, InitiateResponse PDU 500, VAA 7.
        InitiateResponse resp = new InitiateResponse(null, 6, new Conformance(0x00501F), 0x01F4, 7);
        Aare aare = new Aare(1, Aare.ACCEPTED, Aare.SOURCE_USER, 0, null, null, null, resp.encode());
        assertEquals("6129A109060760857405080101A203020100A305A103020100BE10040E0800065F1F040000501F01F40007",
                Hex.of(aare.encode()));
        Aare a2 = (Aare) Apdu.decode(aare.encode());
        assertTrue(a2.accepted());
        assertEquals(resp.maxReceivePduSize(), InitiateResponse.decode(a2.userInformation()).maxReceivePduSize());
        assertEquals("accepted: null", a2.describeResult());

        Aare refused = new Aare(1, Aare.REJECTED_PERMANENT, Aare.SOURCE_USER, Aare.AUTHENTICATION_FAILURE, null, null,
                null, null);
        assertEquals("rejected-permanent: authentication-failure", ((Aare) Apdu.decode(refused.encode())).describeResult());

        byte[] title = Hex.bytes("4D4D4D0000BC614E");
        Aarq hls = new Aarq(Aarq.CONTEXT_LN_CIPHERED, title, Aarq.MECHANISM_HLS_GMAC, new byte[16], Hex.bytes("2100"));
        Aarq hb = (Aarq) Apdu.decode(hls.encode());
        assertArrayEquals(title, hb.callingApTitle());
        assertEquals(5, hb.mechanism());
        assertEquals(3, hb.applicationContext());
    }

    @Test
    void initiateRequestWithDedicatedKeyAndOptionalFields() {
        InitiateRequest ir = new InitiateRequest(new byte[16], false, 2, 6, new Conformance(0x1D), 256);
        InitiateRequest back = InitiateRequest.decode(ir.encode());
        assertEquals(16, back.dedicatedKey().length);
        assertFalse(back.responseAllowed());
        assertEquals(2, back.proposedQuality());
        assertEquals(256, back.maxReceivePduSize());
        assertNull(InitiateRequest.decode(Hex.bytes("01000000065F1F040000301DFFFF")).dedicatedKey());
    }

    @Test
    void releaseActionExceptionAndCiphered() {
        assertEquals("6203800100", Hex.of(new ReleaseRequest(0).encode()));
        assertEquals("6303800100", Hex.of(new ReleaseResponse(0).encode()));
        assertInstanceOf(ReleaseResponse.class, Apdu.decode(Hex.bytes("6303800100")));
        ActionRequest ar = new ActionRequest(0xC1, 15, ObisCode.parse("0.0.40.0.0.255"), 1,
                new DlmsData.OctetString(Hex.bytes("10")));
        assertEquals("C301C1000F0000280000FF0101090110", Hex.of(ar.encode()));
        assertEquals(ar.method(), ((ActionRequest) Apdu.decode(ar.encode())).method());
        ActionResponse resp = new ActionResponse(0xC1, 0, new GetResult.Value(new DlmsData.OctetString(Hex.bytes("AB"))));
        assertEquals("C701C10001000901AB", Hex.of(resp.encode()));
        assertEquals(resp, Apdu.decode(resp.encode()));
        ExceptionResponse ex = (ExceptionResponse) Apdu.decode(Hex.bytes("D80106"));
        assertEquals("service-not-allowed, invocation-counter-error", ex.describe());
        CipheredApdu c = new CipheredApdu(0xD0, 0x30, 5, Hex.bytes("0102"));
        assertTrue(((CipheredApdu) Apdu.decode(c.encode())).dedicated());
        assertEquals(0xC0, CipheredApdu.plainTagOf(0xD0));
        assertEquals(0xCC, CipheredApdu.cipheredTagOf(0xC4, false));
    }

    @Test
    void garbageIsMalformed() {
        assertThrows(MalformedException.class, () -> Apdu.decode(new byte[0]));
        assertThrows(MalformedException.class, () -> Apdu.decode(Hex.bytes("FF00")));
        assertThrows(MalformedException.class, () -> Apdu.decode(Hex.bytes("6105A10306")), "BER runs past the end");
        assertThrows(MalformedException.class, () -> Apdu.decode(Hex.bytes("C401C1")), "truncated");
        assertThrows(MalformedException.class, () -> Apdu.decode(Hex.bytes("C003C1FF")), "list count beyond the PDU");
        assertThrows(MalformedException.class, () -> Apdu.decode(Hex.bytes("C81E30")), "ciphered length wrong");
    }

    @Test
    void conformanceBitsAreNumberedFromTheMostSignificant() {
        Conformance c = new Conformance(0x00501F);
        assertTrue(c.has(Conformance.PRIORITY_MGMT_SUPPORTED));
        assertTrue(c.has(Conformance.BLOCK_TRANSFER_WITH_GET_OR_READ));
        assertTrue(c.has(Conformance.GET));
        assertTrue(c.has(Conformance.ACTION));
        assertFalse(c.has(Conformance.MULTIPLE_REFERENCES));
        assertEquals(0x000200, Conformance.of(Conformance.MULTIPLE_REFERENCES).bits());
    }

    /**
     * A head-end sets a load limit of 12 kW: SET of the Limiter's threshold_normal, worked by hand from the Limiter
     * interface class (71, attribute 4) and the A-XDR rules, as {@code DlmsMeter.write} sends it for a double-long-
     * unsigned threshold in whole watts.
     */
    @Test
    void setRequestNormalOfTheLimiterThreshold() {
        AttributeDescriptor threshold = new AttributeDescriptor(71, ObisCode.parse("0.0.17.0.0.255"), 4);
        String set = "C1"           // set-request
                + "01"              // set-request-normal
                + "C1"              // invoke-id-and-priority: invoke id 1, confirmed, high priority
                + "0047"            // class-id 71, Limiter (long-unsigned, big-endian)
                + "0000110000FF"    // instance-id: logical name 0.0.17.0.0.255
                + "04"              // attribute-id 4, threshold_normal
                + "00"              // access-selection absent
                + "06" + "00002EE0"; // value: double-long-unsigned 12000 (W)
        DlmsData watts = DlmsData.Int.of(DataTag.DOUBLE_LONG_UNSIGNED, 12_000);
        assertEquals(set, Hex.of(new SetRequest.Normal(0xC1, threshold, null, watts).encode()));
        assertEquals(new SetRequest.Normal(0xC1, threshold, null, watts), Apdu.decode(Hex.bytes(set)));
        // The meter's refusal of a threshold above its range: set-response-normal, iip C1, other-reason (250).
        assertEquals(new SetResponse.Normal(0xC1, DataAccessResult.OTHER_REASON), Apdu.decode(Hex.bytes("C501C1FA")));
    }

    @Test
    void setAndActionInBlocksByteForByte() {
        // SET-Request-With-First-Datablock (C1 02): iip C1, clock 0008 0000010000FF attribute 02, no access (00),
        // DataBlock-SA: last-block 00, block-number 00000001, raw-data octet-string 02 (length) 0903.
        SetRequest.DataBlock first = new SetRequest.DataBlock(false, 1, new byte[] {0x09, 0x03});
        AttributeDescriptor clockTime = new AttributeDescriptor(8, ObisCode.parse("0.0.1.0.0.255"), 2);
        String set = "C102C1" + "0008" + "0000010000FF" + "02" + "00" + "00" + "00000001" + "02" + "0903";
        assertEquals(set, Hex.of(new SetRequest.FirstBlock(0xC1, clockTime, null, first).encode()));
        assertEquals(new SetRequest.FirstBlock(0xC1, clockTime, null, first), Apdu.decode(Hex.bytes(set)));
        // SET-Response-Datablock (C5 02): iip C1, block-number 00000001; -Last-Datablock (C5 03): result 00, block 2.
        assertEquals(new SetResponse.BlockAccepted(0xC1, 1), Apdu.decode(Hex.bytes("C502C100000001")));
        assertEquals(new SetResponse.LastBlock(0xC1, DataAccessResult.SUCCESS, 2),
                Apdu.decode(Hex.bytes("C503C10000000002")));
        // ACTION-Request-With-First-Pblock (C3 04): iip C1, method descriptor 0008 0000010000FF 06, then the block.
        String action = "C304C1" + "0008" + "0000010000FF" + "06" + "00" + "00000001" + "02" + "0903";
        ActionBlockRequest.First f = new ActionBlockRequest.First(0xC1, 8, ObisCode.parse("0.0.1.0.0.255"), 6, first);
        assertEquals(action, Hex.of(f.encode()));
        assertEquals(f, Apdu.decode(Hex.bytes(action)));
        // ACTION-Request-With-Pblock (C3 06) and ACTION-Response-Next-Pblock (C7 04): block-number 00000001.
        SetRequest.DataBlock last = new SetRequest.DataBlock(true, 2, new byte[] {0x00});
        assertEquals("C306C1" + "01" + "00000002" + "01" + "00", Hex.of(new ActionBlockRequest.With(0xC1, last)
                .encode()));
        assertEquals(new ActionBlockResponse.Next(0xC1, 1), Apdu.decode(Hex.bytes("C704C100000001")));
        // ACTION-Response-Normal (C7 01) still decodes as before: result 00, no return parameters.
        assertInstanceOf(ActionResponse.class, Apdu.decode(Hex.bytes("C701C10000")));
    }
}
