package io.edgegateway.sim.dlms;

import io.edgegateway.dlms.apdu.AttributeDescriptor;
import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.apdu.AccessSelection;
import io.edgegateway.dlms.apdu.Aare;
import io.edgegateway.dlms.apdu.Aarq;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.apdu.ActionBlockRequest;
import io.edgegateway.dlms.apdu.ActionBlockResponse;
import io.edgegateway.dlms.apdu.ActionRequest;
import io.edgegateway.dlms.apdu.ActionResponse;
import io.edgegateway.dlms.apdu.Apdu;
import io.edgegateway.dlms.apdu.CipheredApdu;
import io.edgegateway.dlms.apdu.Conformance;
import io.edgegateway.dlms.apdu.ConfirmedServiceError;
import io.edgegateway.dlms.apdu.DataAccessResult;
import io.edgegateway.dlms.apdu.ExceptionResponse;
import io.edgegateway.dlms.apdu.GetRequest;
import io.edgegateway.dlms.apdu.GetResponse;
import io.edgegateway.dlms.apdu.GetResult;
import io.edgegateway.dlms.apdu.InitiateRequest;
import io.edgegateway.dlms.apdu.InitiateResponse;
import io.edgegateway.dlms.apdu.ReleaseRequest;
import io.edgegateway.dlms.apdu.ReleaseResponse;
import io.edgegateway.dlms.apdu.SetRequest;
import io.edgegateway.dlms.apdu.SetResponse;
import io.edgegateway.dlms.axdr.AxdrReader;
import io.edgegateway.dlms.axdr.AxdrWriter;
import io.edgegateway.dlms.axdr.DlmsData;
import io.edgegateway.dlms.security.Ciphering;
import io.edgegateway.dlms.security.CipheringException;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The application layer of one connection to the simulated meter: association (public, LLS, HLS-GMAC with its
 * passes 3 and 4), GET normal (with selective access) / with-list / next block, SET normal and with data blocks,
 * ciphering of every APDU of an HLS-GMAC association, and replay protection by invocation counter (shared across
 * connections, like a meter's frame counter per client).
 */
final class MeterSession {

    private static final int HEADER_ROOM = 16;
    /** get-response-normal before the data: tag, choice, invoke-id-and-priority, result choice. */
    private static final int NORMAL_HEADER = 4;
    private static final int CIPHER_OVERHEAD = 1 + 3 + 1 + 4 + 12;
    /** The most a SET in blocks may carry: a meter's buffer for one value. */
    private static final int MAX_SET_DATA = 64 * 1024;

    private final DlmsSimulator meter;
    private final SecureRandom random = new SecureRandom();
    private Association association;
    private PendingBlocks pending;
    private PendingAction pendingAction;

    /** A method's parameters arriving in blocks. */
    private record PendingAction(int classId, ObisCode obis, int method, ByteArrayOutputStream data,
                                 long lastBlock) {
    }
    private PendingSet pendingSet;

    /** State of an open association. */
    private static final class Association {
        final int clientSap;
        final int mechanism;
        final Conformance conformance;
        final int clientMaxPdu;
        byte[] clientSystemTitle;
        Ciphering dedicated;
        byte[] serverChallenge;
        byte[] clientChallenge;
        boolean authenticated;

        Association(int clientSap, int mechanism, Conformance conformance, int clientMaxPdu) {
            this.clientSap = clientSap;
            this.mechanism = mechanism;
            this.conformance = conformance;
            this.clientMaxPdu = clientMaxPdu;
        }

        boolean ciphered() {
            return mechanism == Aarq.MECHANISM_HLS_GMAC;
        }
    }

    /** A long GET answer being sent block by block. */
    private record PendingBlocks(int invokeIdAndPriority, byte[] data, int blockSize, long lastSent) {
    }

    /** A SET arriving in data blocks: what it writes and the blocks so far. */
    private record PendingSet(AttributeDescriptor attribute, AccessSelection access,
                              ByteArrayOutputStream data, long lastBlock) {
    }

    MeterSession(DlmsSimulator meter) {
        this.meter = meter;
    }

    /** The link was reset (HDLC SNRM/DISC): associations do not survive it. */
    void reset() {
        association = null;
        pending = null;
        pendingSet = null;
    }

    /**
     * Answers one APDU from client {@code clientSap}.
     *
     * @return the answer, or null for none
     */
    byte[] handle(byte[] in, int clientSap) {
        Apdu a;
        try {
            a = Apdu.decode(in);
        } catch (MalformedException e) {
            return new ExceptionResponse(ExceptionResponse.SERVICE_UNKNOWN, ExceptionResponse.OTHER_REASON).encode();
        }
        meter.countRequest();
        return switch (a) {
            case Aarq q -> associate(q, clientSap);
            case ReleaseRequest r -> {
                association = null;
                pending = null;
                pendingSet = null;
                yield new ReleaseResponse(0).encode();
            }
            case CipheredApdu c -> ciphered(c, clientSap);
            case GetRequest g -> plain(g, clientSap);
            case ActionRequest r -> plain(r, clientSap);
            case ActionBlockRequest r -> plain(r, clientSap);
            case SetRequest r -> plain(r, clientSap);
            default -> new ExceptionResponse(ExceptionResponse.SERVICE_NOT_ALLOWED,
                    ExceptionResponse.SERVICE_NOT_SUPPORTED).encode();
        };
    }

    // ---- association -------------------------------------------------------------------------------------

    private byte[] associate(Aarq q, int clientSap) {
        association = null;
        pending = null;
        pendingSet = null;
        MeterAccess access = meter.access();
        int mechanism = q.mechanism() == null ? 0 : q.mechanism();
        int context = q.applicationContext();
        byte[] user = q.userInformation();
        if (user == null) {
            return reject(context, Aare.NO_REASON_GIVEN, null);
        }
        if (clientSap == access.publicClient()) {
            if (context != Aarq.CONTEXT_LN) {
                return reject(context, Aare.CONTEXT_NOT_SUPPORTED, null);
            }
            return accept(q, clientSap, 0, user, null);
        }
        if (clientSap == access.llsClient()) {
            if (context != Aarq.CONTEXT_LN) {
                return reject(context, Aare.CONTEXT_NOT_SUPPORTED, null);
            }
            if (mechanism != Aarq.MECHANISM_LLS) {
                return reject(context, q.mechanism() == null ? 12 : Aare.MECHANISM_NOT_RECOGNISED, null);
            }
            if (q.authenticationValue() == null || !MessageDigest.isEqual(q.authenticationValue(), access.password())) {
                return reject(context, Aare.AUTHENTICATION_FAILURE, null);
            }
            return accept(q, clientSap, Aarq.MECHANISM_LLS, user, null);
        }
        if (clientSap == access.hlsClient()) {
            if (context != Aarq.CONTEXT_LN_CIPHERED) {
                return reject(context, Aare.CONTEXT_NOT_SUPPORTED, null);
            }
            if (mechanism != Aarq.MECHANISM_HLS_GMAC) {
                return reject(context, q.mechanism() == null ? 12 : Aare.MECHANISM_NOT_RECOGNISED, null);
            }
            byte[] title = q.callingApTitle();
            if (title == null || title.length != 8 || q.authenticationValue() == null
                    || q.authenticationValue().length < 8) {
                return reject(context, Aare.AUTHENTICATION_FAILURE, null);
            }
            byte[] plain;
            try {
                Apdu u = Apdu.decode(user);
                if (!(u instanceof CipheredApdu c) || c.dedicated()) {
                    return reject(context, Aare.NO_REASON_GIVEN, null);
                }
                if (!meter.acceptClientCounter(title, c.invocationCounter())) {
                    return reject(context, Aare.AUTHENTICATION_FAILURE, null);
                }
                plain = meter.ciphering().unwrap(c, title);
            } catch (MalformedException | CipheringException e) {
                return reject(context, Aare.AUTHENTICATION_FAILURE, null);
            }
            return accept(q, clientSap, Aarq.MECHANISM_HLS_GMAC, plain, title);
        }
        return reject(context, Aare.NO_REASON_GIVEN, null);
    }

    private byte[] accept(Aarq q, int clientSap, int mechanism, byte[] initiateBytes, byte[] clientTitle) {
        InitiateRequest ir;
        try {
            ir = InitiateRequest.decode(initiateBytes);
        } catch (MalformedException e) {
            return reject(q.applicationContext(), Aare.NO_REASON_GIVEN, null);
        }
        if (ir.dlmsVersion() < 6) {
            return reject(q.applicationContext(), Aare.NO_REASON_GIVEN, ConfirmedServiceError.initiateError(1));
        }
        Conformance offered = meter.conformance();
        Conformance agreed = ir.conformance().and(offered);
        if (!agreed.has(Conformance.GET)) {
            return reject(q.applicationContext(), Aare.NO_REASON_GIVEN, ConfirmedServiceError.initiateError(2));
        }
        int clientMax = ir.maxReceivePduSize() == 0 ? 0xFFFF : ir.maxReceivePduSize();
        if (clientMax < 64) {
            return reject(q.applicationContext(), Aare.NO_REASON_GIVEN, ConfirmedServiceError.initiateError(3));
        }
        Association assoc = new Association(clientSap, mechanism, agreed, clientMax);
        InitiateResponse response = new InitiateResponse(null, 6, agreed, meter.maxPduSize(),
                InitiateResponse.VAA_LOGICAL_NAMES);
        byte[] userInfo = response.encode();
        byte[] respondingTitle = null;
        Integer mech = null;
        byte[] challenge = null;
        if (mechanism == Aarq.MECHANISM_HLS_GMAC) {
            assoc.clientSystemTitle = clientTitle;
            assoc.clientChallenge = q.authenticationValue();
            if (ir.dedicatedKey() != null) {
                if (ir.dedicatedKey().length != 16) {
                    return reject(q.applicationContext(), Aare.NO_REASON_GIVEN, null);
                }
                assoc.dedicated = meter.ciphering().withBlockCipherKey(ir.dedicatedKey());
            }
            challenge = new byte[16];
            random.nextBytes(challenge);
            assoc.serverChallenge = challenge;
            respondingTitle = meter.access().systemTitle();
            mech = Aarq.MECHANISM_HLS_GMAC;
            userInfo = meter.ciphering().wrap(userInfo, Ciphering.AUTHENTICATED_ENCRYPTED, respondingTitle,
                    meter.nextServerCounter(), false).encode();
        } else {
            assoc.authenticated = true;
            if (mechanism == Aarq.MECHANISM_LLS) {
                mech = Aarq.MECHANISM_LLS;
            }
        }
        association = assoc;
        meter.countAssociation();
        return new Aare(q.applicationContext(), Aare.ACCEPTED, Aare.SOURCE_USER, 0, respondingTitle, mech, challenge,
                userInfo).encode();
    }

    private byte[] reject(int context, int diagnostic, ConfirmedServiceError error) {
        association = null;
        return new Aare(context, Aare.REJECTED_PERMANENT, Aare.SOURCE_USER, diagnostic, null, null, null,
                error == null ? null : error.encode()).encode();
    }

    // ---- services ----------------------------------------------------------------------------------------

    private byte[] plain(Apdu request, int clientSap) {
        Association a = association;
        if (a == null || a.clientSap != clientSap) {
            return new ExceptionResponse(ExceptionResponse.SERVICE_NOT_ALLOWED,
                    ExceptionResponse.OPERATION_NOT_POSSIBLE).encode();
        }
        if (a.ciphered()) {
            // An HLS-GMAC association accepts ciphered APDUs only.
            return new ExceptionResponse(ExceptionResponse.SERVICE_NOT_ALLOWED,
                    ExceptionResponse.OPERATION_NOT_POSSIBLE).encode();
        }
        return service(request, a, 0).encode();
    }

    private byte[] ciphered(CipheredApdu c, int clientSap) {
        Association a = association;
        if (a == null || a.clientSap != clientSap || !a.ciphered()) {
            return new ExceptionResponse(ExceptionResponse.SERVICE_NOT_ALLOWED,
                    ExceptionResponse.OPERATION_NOT_POSSIBLE).encode();
        }
        if (!meter.acceptClientCounter(a.clientSystemTitle, c.invocationCounter())) {
            return new ExceptionResponse(ExceptionResponse.SERVICE_NOT_ALLOWED,
                    ExceptionResponse.INVOCATION_COUNTER_ERROR).encode();
        }
        Ciphering key = c.dedicated() ? a.dedicated : meter.ciphering();
        byte[] plain;
        Apdu inner;
        try {
            if (key == null) {
                throw new CipheringException("no dedicated key in this association", null);
            }
            plain = key.unwrap(c, a.clientSystemTitle);
            inner = Apdu.decode(plain);
        } catch (CipheringException | MalformedException e) {
            return new ExceptionResponse(ExceptionResponse.SERVICE_NOT_ALLOWED,
                    ExceptionResponse.DECIPHERING_ERROR).encode();
        }
        Apdu answer = service(inner, a, CIPHER_OVERHEAD);
        if (answer instanceof ExceptionResponse) {
            return answer.encode();
        }
        return key.wrap(answer.encode(), meter.faults().answerSecurityControl(), meter.access().systemTitle(),
                meter.nextServerCounter(), c.dedicated()).encode();
    }

    private Apdu service(Apdu request, Association a, int overhead) {
        if (request instanceof ActionRequest ar && isHlsReply(ar)) {
            return action(ar, a);
        }
        if (!a.authenticated) {
            return new ExceptionResponse(ExceptionResponse.SERVICE_NOT_ALLOWED, ExceptionResponse.OPERATION_NOT_POSSIBLE);
        }
        MeterObjects.AssociationView view = new MeterObjects.AssociationView(a.clientSap, meter.serverLogical(),
                a.mechanism, a.conformance, meter.maxPduSize(), a.clientMaxPdu);
        if (request instanceof ActionRequest ar) {
            meter.countGet();
            pendingAction = null;
            return new ActionResponse(ar.invokeIdAndPriority(), meter.objects().action(ar.classId(), ar.obis(),
                    ar.method(), ar.parameters(), view), null);
        }
        if (request instanceof ActionBlockRequest ab) {
            return actionBlock(ab, view);
        }
        if (request instanceof SetRequest s) {
            return set(s, view);
        }
        if (!(request instanceof GetRequest g)) {
            return new ExceptionResponse(ExceptionResponse.SERVICE_NOT_ALLOWED, ExceptionResponse.SERVICE_NOT_SUPPORTED);
        }
        meter.countGet();
        int room = a.clientMaxPdu - overhead;
        return switch (g) {
            case GetRequest.Normal n -> {
                pending = null;
                GetResult r = meter.objects().get(n.attribute(), n.access(), view);
                if (!(r instanceof GetResult.Value v)) {
                    yield new GetResponse.Normal(n.invokeIdAndPriority(), r);
                }
                // Encoded once: a whole load profile is hundreds of kilobytes.
                byte[] data = AxdrWriter.encode(v.data());
                if (NORMAL_HEADER + data.length <= room) {
                    yield new GetResponse.Normal(n.invokeIdAndPriority(), r);
                }
                if (!a.conformance.has(Conformance.BLOCK_TRANSFER_WITH_GET_OR_READ)) {
                    yield new GetResponse.Normal(n.invokeIdAndPriority(),
                            new GetResult.Failure(DataAccessResult.OTHER_REASON));
                }
                yield firstBlock(n.invokeIdAndPriority(), data, room);
            }
            case GetRequest.WithList l -> {
                pending = null;
                if (!a.conformance.has(Conformance.MULTIPLE_REFERENCES)) {
                    yield new ExceptionResponse(ExceptionResponse.SERVICE_NOT_ALLOWED,
                            ExceptionResponse.SERVICE_NOT_SUPPORTED);
                }
                List<GetResult> results = new ArrayList<>();
                for (AttributeDescriptor attr : l.attributes()) {
                    results.add(meter.objects().get(attr, null, view));
                }
                GetResponse list = new GetResponse.WithList(l.invokeIdAndPriority(), results);
                byte[] encoded = list.encode();
                if (encoded.length <= room) {
                    yield list;
                }
                yield firstBlock(l.invokeIdAndPriority(), Arrays.copyOfRange(encoded, 3, encoded.length), room);
            }
            case GetRequest.Next next -> nextBlock(next);
        };
    }

    private GetResponse firstBlock(int iip, byte[] data, int room) {
        int blockSize = Math.max(16, room - HEADER_ROOM);
        pending = new PendingBlocks(iip, data, blockSize, 0);
        return block(1);
    }

    private GetResponse nextBlock(GetRequest.Next next) {
        PendingBlocks p = pending;
        if (p == null) {
            return new GetResponse.WithDataBlock(next.invokeIdAndPriority(), true, next.blockNumber() + 1, null,
                    DataAccessResult.NO_LONG_GET_IN_PROGRESS);
        }
        if (next.blockNumber() != p.lastSent()) {
            pending = null;
            return new GetResponse.WithDataBlock(next.invokeIdAndPriority(), true, next.blockNumber() + 1, null,
                    DataAccessResult.DATA_BLOCK_NUMBER_INVALID);
        }
        return block(p.lastSent() + 1);
    }

    private GetResponse block(long number) {
        PendingBlocks p = pending;
        int from = (int) ((number - 1) * p.blockSize());
        int to = Math.min(p.data().length, from + p.blockSize());
        boolean last = to >= p.data().length;
        GetResponse r = new GetResponse.WithDataBlock(p.invokeIdAndPriority(), last, number,
                Arrays.copyOfRange(p.data(), from, to), null);
        pending = last ? null : new PendingBlocks(p.invokeIdAndPriority(), p.data(), p.blockSize(), number);
        return r;
    }

    /**
     * SET normal, or with data blocks: each block but the last is acknowledged with its number, the last one gets
     * the result of writing the reassembled value. A block out of order ends the transfer.
     */
    private SetResponse set(SetRequest request, MeterObjects.AssociationView view) {
        meter.countSet();
        int iip = request.invokeIdAndPriority();
        return switch (request) {
            case SetRequest.Normal n -> {
                pendingSet = null;
                yield new SetResponse.Normal(iip, meter.objects().set(n.attribute(), n.access(), n.value(), view));
            }
            case SetRequest.FirstBlock f -> {
                pendingSet = null;
                if (f.block().blockNumber() != 1) {
                    yield new SetResponse.LastBlock(iip, DataAccessResult.DATA_BLOCK_NUMBER_INVALID,
                            f.block().blockNumber());
                }
                pendingSet = new PendingSet(f.attribute(), f.access(), new ByteArrayOutputStream(), 0);
                yield block(iip, f.block(), view);
            }
            case SetRequest.WithBlock w -> {
                PendingSet p = pendingSet;
                if (p == null) {
                    yield new SetResponse.LastBlock(iip, DataAccessResult.NO_LONG_SET_IN_PROGRESS,
                            w.block().blockNumber());
                }
                if (w.block().blockNumber() != p.lastBlock() + 1) {
                    pendingSet = null;
                    yield new SetResponse.LastBlock(iip, DataAccessResult.DATA_BLOCK_NUMBER_INVALID,
                            w.block().blockNumber());
                }
                yield block(iip, w.block(), view);
            }
        };
    }

    private SetResponse block(int iip, SetRequest.DataBlock block, MeterObjects.AssociationView view) {
        PendingSet p = pendingSet;
        byte[] raw = block.rawData();
        if (p.data().size() + raw.length > MAX_SET_DATA) {
            pendingSet = null;
            return new SetResponse.LastBlock(iip, DataAccessResult.LONG_SET_ABORTED, block.blockNumber());
        }
        p.data().writeBytes(raw);
        if (!block.lastBlock()) {
            pendingSet = new PendingSet(p.attribute(), p.access(), p.data(), block.blockNumber());
            return new SetResponse.BlockAccepted(iip, block.blockNumber());
        }
        pendingSet = null;
        DlmsData value;
        try {
            AxdrReader r = new AxdrReader(p.data().toByteArray());
            value = r.data();
            r.expectEnd();
        } catch (MalformedException e) {
            return new SetResponse.LastBlock(iip, DataAccessResult.TYPE_UNMATCHED, block.blockNumber());
        }
        return new SetResponse.LastBlock(iip, meter.objects().set(p.attribute(), p.access(), value, view),
                block.blockNumber());
    }

    private static boolean isHlsReply(ActionRequest r) {
        return r.classId() == 15 && r.obis().equals(MeterObjects.ASSOCIATION) && r.method() == 1;
    }

    /** A method whose parameters come in blocks: each block but the last acknowledged, then the method invoked. */
    private Apdu actionBlock(ActionBlockRequest request, MeterObjects.AssociationView view) {
        meter.countGet();
        int iip = request.invokeIdAndPriority();
        SetRequest.DataBlock block;
        PendingAction p;
        switch (request) {
            case ActionBlockRequest.First f -> {
                block = f.block();
                p = new PendingAction(f.classId(), f.obis(), f.method(), new ByteArrayOutputStream(), 0);
            }
            case ActionBlockRequest.With w -> {
                block = w.block();
                p = pendingAction;
            }
            case ActionBlockRequest.Next n -> {
                pendingAction = null; // the simulator's returns fit one PDU: there is no long return to go on with
                return new ActionResponse(iip, DataAccessResult.NO_LONG_GET_IN_PROGRESS.code(), null);
            }
        }
        if (p == null || block.blockNumber() != p.lastBlock() + 1
                || p.data().size() + block.rawData().length > MAX_SET_DATA) {
            pendingAction = null;
            return new ActionResponse(iip, DataAccessResult.DATA_BLOCK_NUMBER_INVALID.code(), null);
        }
        p.data().writeBytes(block.rawData());
        if (!block.lastBlock()) {
            pendingAction = new PendingAction(p.classId(), p.obis(), p.method(), p.data(), block.blockNumber());
            return new ActionBlockResponse.Next(iip, block.blockNumber());
        }
        pendingAction = null;
        DlmsData parameters;
        try {
            AxdrReader r = new AxdrReader(p.data().toByteArray());
            parameters = r.data();
            r.expectEnd();
        } catch (MalformedException e) {
            return new ActionResponse(iip, DataAccessResult.TYPE_UNMATCHED.code(), null);
        }
        return new ActionResponse(iip, meter.objects().action(p.classId(), p.obis(), p.method(), parameters, view),
                null);
    }

    /** reply_to_HLS_authentication (Association LN method 1): HLS-GMAC passes 3 and 4. */
    private Apdu action(ActionRequest r, Association a) {
        meter.countGet();
        if (!a.ciphered() || a.authenticated || !(r.parameters() instanceof DlmsData.OctetString s)) {
            return new ActionResponse(r.invokeIdAndPriority(), DataAccessResult.OTHER_REASON.code(), null);
        }
        byte[] answer = s.value();
        // The challenge is fresh per association, so the answer cannot be a replay; its counter needs no check.
        if (answer.length != 17 || !meter.ciphering().verifyHlsAnswer(answer, a.clientSystemTitle, a.serverChallenge)) {
            association = null; // a failed pass 3 ends the association
            return new ActionResponse(r.invokeIdAndPriority(), DataAccessResult.OTHER_REASON.code(), null);
        }
        a.authenticated = true;
        byte[] ours = meter.ciphering().hlsAnswer(meter.access().systemTitle(), meter.nextServerCounter(),
                a.clientChallenge);
        return new ActionResponse(r.invokeIdAndPriority(), 0, new GetResult.Value(new DlmsData.OctetString(ours)));
    }

    @Override
    public String toString() {
        Association a = association;
        return a == null ? "no association" : "client " + a.clientSap + " mechanism " + a.mechanism
                + (a.clientSystemTitle != null ? " title " + HexFormat.of().formatHex(a.clientSystemTitle) : "");
    }
}
