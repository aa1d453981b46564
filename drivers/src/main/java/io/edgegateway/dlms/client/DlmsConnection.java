package io.edgegateway.dlms.client;

import io.edgegateway.dlms.transport.AnswerCutOffException;
import io.edgegateway.dlms.apdu.AttributeDescriptor;
import io.edgegateway.device.BadResponseException;
import io.edgegateway.device.DeviceException;
import io.edgegateway.device.LinkDownException;
import io.edgegateway.device.NoResponseException;
import io.edgegateway.device.RejectedException;
import io.edgegateway.dlms.MalformedException;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.apdu.AccessSelection;
import io.edgegateway.dlms.apdu.ActionBlockRequest;
import io.edgegateway.dlms.apdu.ActionBlockResponse;
import io.edgegateway.dlms.apdu.Aare;
import io.edgegateway.dlms.apdu.DataAccessResult;
import io.edgegateway.dlms.apdu.SetRequest;
import io.edgegateway.dlms.apdu.SetResponse;
import io.edgegateway.dlms.apdu.Aarq;
import io.edgegateway.dlms.apdu.ActionRequest;
import io.edgegateway.dlms.apdu.ActionResponse;
import io.edgegateway.dlms.apdu.Apdu;
import io.edgegateway.dlms.apdu.CipheredApdu;
import io.edgegateway.dlms.apdu.Conformance;
import io.edgegateway.dlms.apdu.ConfirmedServiceError;
import io.edgegateway.dlms.apdu.ExceptionResponse;
import io.edgegateway.dlms.apdu.GetRequest;
import io.edgegateway.dlms.apdu.GetResponse;
import io.edgegateway.dlms.apdu.GetResult;
import io.edgegateway.dlms.apdu.InitiateRequest;
import io.edgegateway.dlms.apdu.InitiateResponse;
import io.edgegateway.dlms.apdu.ReleaseRequest;
import io.edgegateway.dlms.axdr.AxdrReader;
import io.edgegateway.dlms.axdr.DlmsData;
import io.edgegateway.dlms.hdlc.HdlcAddress;
import io.edgegateway.dlms.push.DataNotification;
import io.edgegateway.dlms.push.GeneralCiphering;
import io.edgegateway.dlms.hdlc.HdlcLink;
import io.edgegateway.dlms.hdlc.HdlcParameters;
import io.edgegateway.dlms.security.Ciphering;
import io.edgegateway.dlms.security.CipheringException;
import io.edgegateway.dlms.security.InvocationCounterStore;
import io.edgegateway.dlms.transport.ApduChannel;
import io.edgegateway.link.ByteLink;
import io.edgegateway.dlms.transport.FrameException;
import io.edgegateway.dlms.transport.LinkTimeoutException;
import io.edgegateway.link.TcpByteLink;
import io.edgegateway.dlms.wrapper.WrapperLink;
import io.edgegateway.point.CosemAddress;
import io.edgegateway.serial.SerialLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One application association with a meter, over an open transport: AARQ/AARE (with LLS or the four HLS-GMAC
 * passes), then GET services, then RLRQ. Handles invoke ids, block transfer (GET-next until the last block, then
 * decodes the reassembled data), ciphering of every xDLMS APDU under HLS-GMAC, and checks the meter's invocation
 * counter only ever grows. Not thread-safe.
 */
public final class DlmsConnection implements AutoCloseable {

    /** The current association's Association LN object. */
    public static final ObisCode ASSOCIATION_LN = new ObisCode(0, 0, 40, 0, 0, 255);
    /** Conformance the client proposes: GET with blocks and lists, plus what HLS needs (ACTION). */
    static final Conformance PROPOSED = Conformance.of(Conformance.GET, Conformance.SET, Conformance.ACTION,
            Conformance.BLOCK_TRANSFER_WITH_GET_OR_READ, Conformance.BLOCK_TRANSFER_WITH_SET_OR_WRITE,
            Conformance.BLOCK_TRANSFER_WITH_ACTION,
            Conformance.MULTIPLE_REFERENCES,
            Conformance.SELECTIVE_ACCESS, Conformance.PRIORITY_MGMT_SUPPORTED, Conformance.ATTRIBUTE0_SUPPORTED_WITH_GET);
    /** A long GET answer larger than this is refused: a broken meter cannot make us buffer without bound. */
    private static final int MAX_LONG_DATA = 1 << 20;
    private static final int MAX_BLOCKS = 4096;
    /** Attributes per GET-with-list; meters often cap lists at about ten. */
    static final int MAX_LIST = 10;
    /** Pushes taken while waiting for one answer: a meter pushing without end cannot hold the read forever. */
    private static final int MAX_PUSHES_PER_ANSWER = 8;
    /** Security header and tag a ciphered APDU adds: tag, length (3), SC, IC, GCM tag. */
    private static final int CIPHER_OVERHEAD = 1 + 3 + 1 + 4 + 12;
    /** A first SET block's header: tag, choice, iip, descriptor (9), access (1), last, number (4), length (3). */
    private static final int SET_BLOCK_HEADER = 3 + 9 + 1 + 1 + 4 + 3;
    /** A first ACTION block's header: tag, choice, iip, method descriptor (9), last, number (4), length (3). */
    private static final int ACTION_BLOCK_HEADER = 3 + 9 + 1 + 4 + 3;
    private static final System.Logger LOG = System.getLogger(DlmsConnection.class.getName());

    private final DlmsSettings settings;
    private final InvocationCounterStore.Counter counter;
    private final Ciphering ciphering;
    private final SecureRandom random = new SecureRandom();
    private Ciphering dedicated;
    private ApduChannel channel;
    private byte[] serverSystemTitle;
    private long lastServerCounter = -1;
    private Conformance conformance = new Conformance(0);
    private int serverMaxPdu = 0xFFFF;
    private int invokeId;
    private boolean withListWorks = true;
    private boolean associated;
    private java.util.function.Consumer<byte[]> unsolicited = apdu -> LOG.log(System.Logger.Level.DEBUG,
            "unsolicited push of {0} bytes dropped (no dlms-push for this meter)", apdu.length);

    private DlmsConnection(DlmsSettings settings, InvocationCounterStore.Counter counter) {
        this.settings = settings;
        this.counter = counter;
        this.ciphering = settings.authentication() == Authentication.HLS_GMAC
                ? new Ciphering(settings.blockCipherKey(), settings.authenticationKey()) : null;
    }

    /**
     * Opens the transport and the association.
     *
     * @param counter the client's invocation counter (HLS-GMAC), or null
     */
    public static DlmsConnection open(DlmsSettings settings, InvocationCounterStore.Counter counter)
            throws DeviceException {
        return open(settings, counter, null);
    }

    /**
     * Opens the association over a line another owns (HDLC multi-drop): SNRM on {@code shared}, which closing the
     * connection leaves open.
     *
     * @param shared the open line, or null to open the settings' own transport
     */
    public static DlmsConnection open(DlmsSettings settings, InvocationCounterStore.Counter counter, ByteLink shared)
            throws DeviceException {
        DlmsConnection c = new DlmsConnection(settings, counter);
        try {
            c.connectTransport(shared);
            c.associate();
            return c;
        } catch (DeviceException | RuntimeException e) {
            c.abort();
            throw e;
        }
    }

    public Conformance conformance() {
        return conformance;
    }

    public int serverMaxPdu() {
        return serverMaxPdu;
    }

    /** The meter's system title (HLS-GMAC), or null. */
    public byte[] serverSystemTitle() {
        return serverSystemTitle == null ? null : serverSystemTitle.clone();
    }

    public boolean withListAvailable() {
        return withListWorks && conformance.has(Conformance.MULTIPLE_REFERENCES);
    }

    // ---- transport ---------------------------------------------------------------------------------------

    private void connectTransport(ByteLink shared) throws DeviceException {
        Duration timeout = settings.responseTimeout();
        ByteLink link;
        if (shared != null) {
            link = shared;
        } else if (settings.transport().tcp()) {
            // In an installer's words (refused, no answer, unknown host, no route), never the socket's own text.
            link = TcpByteLink.open(settings.host(), settings.port(), settings.connectTimeout());
        } else {
            SerialLine line = SerialLine.open(settings.serial());
            link = line;
            if (settings.modeE()) {
                try {
                    String ident = ModeEHandshake.run(line, timeout);
                    LOG.log(System.Logger.Level.DEBUG, "mode E sign-on with {0}", ident);
                } catch (IOException e) {
                    link.close();
                    throw map(e, "mode E sign-on");
                }
            }
        }
        if (settings.transport().hdlc()) {
            HdlcLink hdlc = HdlcLink.client(link, HdlcAddress.client(settings.clientAddress()),
                    HdlcAddress.server(settings.serverLogical(), settings.serverPhysical(), settings.serverAddressSize()),
                    HdlcParameters.of(settings.hdlcMaxInfo(), settings.hdlcWindow()));
            channel = hdlc;
            try {
                hdlc.connect(timeout);
            } catch (IOException e) {
                throw map(e, "HDLC connect (SNRM)");
            }
        } else {
            channel = WrapperLink.client(link, settings.clientAddress(), settings.serverLogical());
        }
    }

    // ---- association -------------------------------------------------------------------------------------

    private void associate() throws DeviceException {
        Authentication auth = settings.authentication();
        byte[] dedicatedKey = null;
        if (auth == Authentication.HLS_GMAC && settings.dedicatedKey()) {
            dedicatedKey = new byte[16];
            random.nextBytes(dedicatedKey);
        }
        InitiateRequest initiate = new InitiateRequest(dedicatedKey, true, null, 6, PROPOSED, settings.maxPduSize());
        byte[] challenge = null;
        Aarq aarq = switch (auth) {
            case NONE -> new Aarq(Aarq.CONTEXT_LN, null, null, null, initiate.encode());
            case LLS -> new Aarq(Aarq.CONTEXT_LN, null, Aarq.MECHANISM_LLS, settings.password(), initiate.encode());
            case HLS_GMAC -> {
                challenge = new byte[16];
                random.nextBytes(challenge);
                byte[] user = ciphering.wrap(initiate.encode(), Ciphering.AUTHENTICATED_ENCRYPTED,
                        settings.systemTitle(), nextCounter(), false).encode();
                yield new Aarq(Aarq.CONTEXT_LN_CIPHERED, settings.systemTitle(), Aarq.MECHANISM_HLS_GMAC, challenge, user);
            }
        };
        Apdu answer = rawExchange(aarq.encode(), "association (AARQ)");
        if (!(answer instanceof Aare aare)) {
            throw new BadResponseException(settings.endpoint() + ": expected AARE, got " + answer.kind(), null);
        }
        if (!aare.accepted()) {
            String why = aare.describeResult();
            String extra = initiateError(aare);
            throw new RejectedException(settings.endpoint() + ": association refused (" + why + ")" + extra
                    + hint(aare), aare.diagnostic());
        }
        InitiateResponse ir = initiateResponse(aare);
        conformance = ir.conformance();
        serverMaxPdu = ir.maxReceivePduSize() == 0 ? 0xFFFF : ir.maxReceivePduSize();
        if (dedicatedKey != null) {
            dedicated = ciphering.withBlockCipherKey(dedicatedKey);
        }
        associated = true;
        if (auth == Authentication.HLS_GMAC) {
            hlsPasses3and4(aare, challenge);
        }
    }

    private String hint(Aare aare) {
        return switch (aare.diagnostic()) {
            case Aare.AUTHENTICATION_FAILURE -> settings.authentication() == Authentication.LLS
                    ? ": wrong password?"
                    : ": wrong keys or system title, or an invocation counter the meter has already seen "
                    + "(state directory restored or shared?)";
            case Aare.AUTHENTICATION_REQUIRED -> ": this client address needs authentication";
            case Aare.CONTEXT_NOT_SUPPORTED -> ": this client address expects another security level";
            default -> "";
        };
    }

    private String initiateError(Aare aare) {
        byte[] u = aare.userInformation();
        if (u != null && u.length >= 4 && (u[0] & 0xFF) == ConfirmedServiceError.TAG) {
            try {
                return " [" + ((ConfirmedServiceError) Apdu.decode(u)).describe() + "]";
            } catch (MalformedException e) {
                return "";
            }
        }
        return "";
    }

    private InitiateResponse initiateResponse(Aare aare) throws DeviceException {
        byte[] u = aare.userInformation();
        if (u == null || u.length == 0) {
            throw new BadResponseException(settings.endpoint() + ": AARE without InitiateResponse", null);
        }
        try {
            if (settings.authentication() == Authentication.HLS_GMAC) {
                if (aare.respondingApTitle() == null || aare.respondingApTitle().length != 8) {
                    throw new BadResponseException(settings.endpoint() + ": AARE without the meter's system title", null);
                }
                serverSystemTitle = aare.respondingApTitle();
                Apdu a = Apdu.decode(u);
                if (!(a instanceof CipheredApdu c)) {
                    throw new BadResponseException(settings.endpoint()
                            + ": the meter answered HLS-GMAC with an unciphered InitiateResponse", null);
                }
                u = decipher(c);
            }
            return InitiateResponse.decode(u);
        } catch (MalformedException e) {
            throw new BadResponseException(settings.endpoint() + ": unreadable InitiateResponse: " + e.getMessage(), e);
        }
    }

    private void hlsPasses3and4(Aare aare, byte[] clientChallenge) throws DeviceException {
        byte[] serverChallenge = aare.authenticationValue();
        if (serverChallenge == null || serverChallenge.length < 8) {
            throw new BadResponseException(settings.endpoint() + ": AARE without the server-to-client challenge", null);
        }
        byte[] answer = ciphering.hlsAnswer(settings.systemTitle(), nextCounter(), serverChallenge);
        int iip = nextIip();
        Apdu r = exchange(new ActionRequest(iip, 15, ASSOCIATION_LN, 1, new DlmsData.OctetString(answer)).encode(),
                "HLS authentication (reply_to_HLS_authentication)");
        if (!(r instanceof ActionResponse ar)) {
            throw new BadResponseException(settings.endpoint() + ": expected action-response to HLS pass 3, got "
                    + r.kind(), null);
        }
        if (ar.result() != 0) {
            throw new RejectedException(settings.endpoint() + ": the meter rejected our HLS-GMAC answer (action result "
                    + ar.result() + "): wrong keys or system title?", ar.result());
        }
        if (!(ar.returnValue() instanceof GetResult.Value v) || !(v.data() instanceof DlmsData.OctetString s)
                || !ciphering.verifyHlsAnswer(s.value(), serverSystemTitle, clientChallenge)) {
            throw new RejectedException(settings.endpoint() + ": the meter's HLS-GMAC answer does not verify "
                    + "(wrong keys, or not the meter we think)", -1);
        }
    }

    // ---- GET ---------------------------------------------------------------------------------------------

    /** Reads one attribute of a point's address. */
    public GetResult get(CosemAddress attribute) throws DeviceException {
        return get(descriptor(attribute));
    }

    /** The request's name of a point's COSEM address. */
    static AttributeDescriptor descriptor(CosemAddress a) {
        return new AttributeDescriptor(a.classId(), a.obis(), a.attribute());
    }

    /** Reads one attribute. */
    public GetResult get(AttributeDescriptor attribute) throws DeviceException {
        return get(attribute, null);
    }

    /**
     * Reads one attribute with selective access (a Profile Generic buffer by range or by entry); an answer too
     * large for one PDU comes in blocks and is reassembled.
     *
     * @param access the selection, or null for the whole attribute
     */
    public GetResult get(AttributeDescriptor attribute, AccessSelection access) throws DeviceException {
        int iip = nextIip();
        String what = "GET " + attribute + (access == null ? "" : " (selector " + access.selector() + ")");
        GetResponse r = expectGet(exchange(new GetRequest.Normal(iip, attribute, access).encode(), what), iip);
        return switch (r) {
            case GetResponse.Normal n -> n.result();
            case GetResponse.WithDataBlock b -> {
                Object o = reassemble(b, iip, false);
                yield (GetResult) o;
            }
            case GetResponse.WithList l -> throw new BadResponseException(settings.endpoint()
                    + ": get-response-with-list to a single GET", null);
        };
    }

    /**
     * Reads several attributes, in lists when the meter accepts GET-with-list (fitted to its PDU size), else one by
     * one. A meter that refuses lists is remembered and read singly from then on.
     *
     * @return one result per attribute, in order
     */
    public List<GetResult> get(List<CosemAddress> attributes) throws DeviceException {
        List<GetResult> out = new ArrayList<>(attributes.size());
        int i = 0;
        while (i < attributes.size()) {
            int n = Math.min(MAX_LIST, attributes.size() - i);
            if (!withListAvailable() || n == 1) {
                out.add(get(attributes.get(i)));
                i++;
                continue;
            }
            int overhead = ciphering != null ? CIPHER_OVERHEAD : 0;
            while (n > 1 && GetRequest.withListSize(n) + overhead > serverMaxPdu) {
                n--;
            }
            if (n == 1) {
                out.add(get(attributes.get(i)));
                i++;
                continue;
            }
            List<AttributeDescriptor> chunk = attributes.subList(i, i + n).stream().map(DlmsConnection::descriptor)
                    .toList();
            try {
                out.addAll(getList(chunk));
            } catch (RejectedException e) {
                LOG.log(System.Logger.Level.INFO, "{0}: GET-with-list refused ({1}); reading one by one",
                        settings.endpoint(), e.getMessage());
                withListWorks = false;
                continue;
            }
            i += n;
        }
        return out;
    }

    private List<GetResult> getList(List<AttributeDescriptor> chunk) throws DeviceException {
        int iip = nextIip();
        GetResponse r = expectGet(exchange(new GetRequest.WithList(iip, chunk).encode(), "GET-with-list of "
                + chunk.size()), iip);
        @SuppressWarnings("unchecked")
        List<GetResult> results = switch (r) {
            case GetResponse.WithList l -> l.results();
            case GetResponse.WithDataBlock b -> (List<GetResult>) reassemble(b, iip, true);
            case GetResponse.Normal n -> throw new BadResponseException(settings.endpoint()
                    + ": get-response-normal to a GET-with-list", null);
        };
        if (results.size() != chunk.size()) {
            throw new BadResponseException(settings.endpoint() + ": GET-with-list of " + chunk.size() + " answered with "
                    + results.size() + " results", null);
        }
        return results;
    }

    /** Collects data blocks until the last; returns a GetResult (normal) or a List of them (with-list). */
    private Object reassemble(GetResponse.WithDataBlock first, int iip, boolean list) throws DeviceException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        GetResponse.WithDataBlock block = first;
        long expected = 1;
        while (true) {
            if (block.failure() != null) {
                if (list) {
                    throw new RejectedException(settings.endpoint() + ": block transfer failed: " + block.failure(),
                            block.failure().code());
                }
                return new GetResult.Failure(block.failure());
            }
            if (block.blockNumber() != expected) {
                throw new BadResponseException(settings.endpoint() + ": data block " + block.blockNumber()
                        + " where block " + expected + " was due", null);
            }
            data.writeBytes(block.rawData());
            // Bytes bound memory; the count bounds time (a meter sending empty, never-last blocks).
            if (expected > MAX_BLOCKS) {
                throw new BadResponseException(settings.endpoint() + ": block transfer of more than " + MAX_BLOCKS
                        + " blocks", null);
            }
            if (data.size() > MAX_LONG_DATA) {
                throw new BadResponseException(settings.endpoint() + ": block transfer longer than " + MAX_LONG_DATA
                        + " bytes", null);
            }
            if (block.lastBlock()) {
                break;
            }
            expected++;
            GetResponse next = expectGet(exchange(new GetRequest.Next(iip, block.blockNumber()).encode(),
                    "GET next block " + expected), iip);
            if (!(next instanceof GetResponse.WithDataBlock b)) {
                throw new BadResponseException(settings.endpoint() + ": expected data block " + expected + ", got "
                        + next.getClass().getSimpleName(), null);
            }
            block = b;
        }
        try {
            AxdrReader r = new AxdrReader(data.toByteArray());
            if (list) {
                List<GetResult> results = new ArrayList<>();
                int n = r.length();
                for (int k = 0; k < n; k++) {
                    results.add(readResult(r));
                }
                r.expectEnd();
                return results;
            }
            DlmsData d = r.data();
            r.expectEnd();
            return new GetResult.Value(d);
        } catch (MalformedException e) {
            throw new BadResponseException(settings.endpoint() + ": reassembled block data does not decode: "
                    + e.getMessage(), e);
        }
    }

    private static GetResult readResult(AxdrReader r) {
        int choice = r.u8();
        return switch (choice) {
            case 0 -> new GetResult.Value(r.data());
            case 1 -> new GetResult.Failure(io.edgegateway.dlms.apdu.DataAccessResult.of(r.u8()));
            default -> throw new MalformedException("unknown Get-Data-Result choice " + choice);
        };
    }

    private GetResponse expectGet(Apdu a, int iip) throws DeviceException {
        if (!(a instanceof GetResponse g)) {
            throw new BadResponseException(settings.endpoint() + ": expected get-response, got " + a.kind(), null);
        }
        if ((g.invokeIdAndPriority() & 0x0F) != (iip & 0x0F)) {
            throw new BadResponseException(settings.endpoint() + ": answer to another request (invoke id "
                    + (g.invokeIdAndPriority() & 0x0F) + ", expected " + (iip & 0x0F) + ")", null);
        }
        return g;
    }

    // ---- SET and ACTION ----------------------------------------------------------------------------------

    /**
     * Writes one attribute. A value whose request would not fit the meter's PDU goes in data blocks, each
     * acknowledged before the next.
     *
     * @return the meter's data-access-result (success or why not)
     */
    public DataAccessResult set(AttributeDescriptor attribute, AccessSelection access, DlmsData value)
            throws DeviceException {
        int iip = nextIip();
        String what = "SET " + attribute;
        byte[] normal = new SetRequest.Normal(iip, attribute, access, value).encode();
        int room = serverMaxPdu - (ciphering != null ? CIPHER_OVERHEAD : 0);
        if (normal.length <= room) {
            return switch (expectSet(exchange(normal, what), iip)) {
                case SetResponse.Normal n -> n.result();
                case SetResponse r -> throw new BadResponseException(settings.endpoint() + ": " + what
                        + " answered with " + r.getClass().getSimpleName(), null);
            };
        }
        if (!conformance.has(Conformance.BLOCK_TRANSFER_WITH_SET_OR_WRITE)) {
            throw new RejectedException(settings.endpoint() + ": " + what + " needs " + normal.length
                    + " bytes, more than the meter's PDU of " + serverMaxPdu
                    + ", and it did not agree to SET blocks", -1);
        }
        for (SetRequest.DataBlock block : SetRequest.DataBlock.slices(io.edgegateway.dlms.axdr.AxdrWriter.encode(value),
                Math.max(16, room - SET_BLOCK_HEADER))) {
            long number = block.blockNumber();
            byte[] request = number == 1 ? new SetRequest.FirstBlock(iip, attribute, access, block).encode()
                    : new SetRequest.WithBlock(iip, block).encode();
            SetResponse r = expectSet(exchange(request, what + " block " + number), iip);
            if (block.lastBlock()) {
                if (r instanceof SetResponse.LastBlock lb) {
                    return lb.result();
                }
                if (r instanceof SetResponse.Normal n) {
                    return n.result(); // some meters answer the last block as a normal SET
                }
            } else if (r instanceof SetResponse.BlockAccepted a && a.blockNumber() == number) {
                continue;
            } else if (r instanceof SetResponse.Normal n && n.result() != DataAccessResult.SUCCESS) {
                return n.result(); // refused in the middle
            } else if (r instanceof SetResponse.LastBlock lb && lb.result() != DataAccessResult.SUCCESS) {
                return lb.result();
            }
            throw new BadResponseException(settings.endpoint() + ": " + what + " block " + number + " answered with "
                    + r, null);
        }
        throw new IllegalStateException("slices() always ends with a last block");
    }

    /**
     * Invokes a method (ACTION-Request-Normal): clock adjust_to_quarter, disconnect control, ...
     *
     * @param parameters the method's parameters, or null
     */
    public ActionResponse action(int classId, ObisCode obis, int method, DlmsData parameters) throws DeviceException {
        int iip = nextIip();
        String what = "ACTION " + classId + "/" + obis + "/" + method;
        byte[] normal = new ActionRequest(iip, classId, obis, method, parameters).encode();
        int room = serverMaxPdu - (ciphering != null ? CIPHER_OVERHEAD : 0);
        Apdu a;
        if (normal.length <= room || parameters == null) {
            a = exchange(normal, what);
        } else {
            if (!conformance.has(Conformance.BLOCK_TRANSFER_WITH_ACTION)) {
                throw new RejectedException(settings.endpoint() + ": " + what + " needs " + normal.length
                        + " bytes, more than the meter's PDU of " + serverMaxPdu + ", and it did not agree to ACTION "
                        + "blocks", -1);
            }
            a = sendParameterBlocks(iip, classId, obis, method, parameters, room, what);
        }
        if (a instanceof ActionBlockResponse.With first) {
            a = collectReturnBlocks(iip, first, what);
        }
        if (!(a instanceof ActionResponse r)) {
            throw new BadResponseException(settings.endpoint() + ": expected action-response, got " + a.kind(), null);
        }
        if ((r.invokeIdAndPriority() & 0x0F) != (iip & 0x0F)) {
            throw new BadResponseException(settings.endpoint() + ": answer to another request", null);
        }
        return r;
    }

    /** Method parameters in blocks; each block but the last is acknowledged with next-pblock. */
    private Apdu sendParameterBlocks(int iip, int classId, ObisCode obis, int method, DlmsData parameters, int room,
                                     String what) throws DeviceException {
        for (SetRequest.DataBlock block : SetRequest.DataBlock.slices(
                io.edgegateway.dlms.axdr.AxdrWriter.encode(parameters), Math.max(16, room - ACTION_BLOCK_HEADER))) {
            long number = block.blockNumber();
            byte[] request = number == 1 ? new ActionBlockRequest.First(iip, classId, obis, method, block).encode()
                    : new ActionBlockRequest.With(iip, block).encode();
            Apdu answer = exchange(request, what + " block " + number);
            if (block.lastBlock()) {
                return answer;
            }
            if (!(answer instanceof ActionBlockResponse.Next next) || next.blockNumber() != number) {
                if (answer instanceof ActionResponse refused) {
                    return refused; // refused in the middle
                }
                throw new BadResponseException(settings.endpoint() + ": " + what + " block " + number
                        + " answered with " + answer.kind(), null);
            }
        }
        throw new IllegalStateException("slices() always ends with a last block");
    }

    /** A long return in blocks: next-pblock until the last, then decoded as Action-Response-With-Optional-Data. */
    private ActionResponse collectReturnBlocks(int iip, ActionBlockResponse.With first, String what)
            throws DeviceException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        ActionBlockResponse.With block = first;
        for (long expected = 1; ; expected++) {
            if (block.block().blockNumber() != expected || expected > MAX_BLOCKS || data.size() > MAX_LONG_DATA) {
                throw new BadResponseException(settings.endpoint() + ": " + what + ": return block "
                        + block.block().blockNumber() + " where " + expected + " was due, or too long", null);
            }
            data.writeBytes(block.block().rawData());
            if (block.block().lastBlock()) {
                break;
            }
            Apdu next = exchange(new ActionBlockRequest.Next(iip, expected).encode(), what + " return block "
                    + (expected + 1));
            if (!(next instanceof ActionBlockResponse.With w)) {
                throw new BadResponseException(settings.endpoint() + ": " + what + ": expected a return block, got "
                        + next.kind(), null);
            }
            block = w;
        }
        try {
            AxdrReader r = new AxdrReader(data.toByteArray());
            int result = r.u8();
            GetResult ret = r.u8() != 0 ? readResult(r) : null;
            r.expectEnd();
            return new ActionResponse(iip, result, ret);
        } catch (MalformedException e) {
            throw new BadResponseException(settings.endpoint() + ": " + what + ": return blocks do not decode: "
                    + e.getMessage(), e);
        }
    }

    private SetResponse expectSet(Apdu a, int iip) throws DeviceException {
        if (!(a instanceof SetResponse s)) {
            throw new BadResponseException(settings.endpoint() + ": expected set-response, got " + a.kind(), null);
        }
        if ((s.invokeIdAndPriority() & 0x0F) != (iip & 0x0F)) {
            throw new BadResponseException(settings.endpoint() + ": answer to another request (invoke id "
                    + (s.invokeIdAndPriority() & 0x0F) + ", expected " + (iip & 0x0F) + ")", null);
        }
        return s;
    }

    // ---- exchange ----------------------------------------------------------------------------------------

    private int nextIip() {
        invokeId = (invokeId + 1) & 0x0F;
        return 0xC0 | invokeId; // high priority, confirmed
    }

    private long nextCounter() throws DeviceException {
        try {
            return counter.next();
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new RejectedException(settings.endpoint() + ": " + e.getMessage(), -1);
        }
    }

    /** Sends an xDLMS APDU (ciphered under HLS-GMAC) and returns the deciphered answer. */
    private Apdu exchange(byte[] plain, String what) throws DeviceException {
        byte[] out = plain;
        if (ciphering != null && associated) {
            Ciphering c = dedicated != null ? dedicated : ciphering;
            out = c.wrap(plain, Ciphering.AUTHENTICATED_ENCRYPTED, settings.systemTitle(), nextCounter(),
                    dedicated != null).encode();
        }
        Apdu a = rawExchange(out, what);
        if (a instanceof ExceptionResponse ex) {
            throw new RejectedException(settings.endpoint() + ": " + what + " refused: " + ex.describe(),
                    ex.serviceError());
        }
        if (a instanceof ConfirmedServiceError e) {
            throw new RejectedException(settings.endpoint() + ": " + what + " refused: " + e.describe(), e.errorValue());
        }
        if (ciphering != null && associated && !(a instanceof CipheredApdu) && !(a instanceof ExceptionResponse)) {
            throw new BadResponseException(settings.endpoint() + ": unciphered " + a.kind()
                    + " on an HLS-GMAC association", null);
        }
        if (a instanceof CipheredApdu c) {
            if (ciphering == null) {
                throw new BadResponseException(settings.endpoint() + ": ciphered APDU on an unciphered association", null);
            }
            try {
                a = Apdu.decode(decipher(c));
            } catch (MalformedException e) {
                throw new BadResponseException(settings.endpoint() + ": deciphered APDU does not decode: "
                        + e.getMessage(), e);
            }
            if (a instanceof ExceptionResponse ex) {
                throw new RejectedException(settings.endpoint() + ": " + what + " refused: " + ex.describe(),
                        ex.serviceError());
            }
        }
        return a;
    }

    private byte[] decipher(CipheredApdu c) throws DeviceException {
        // We always send authenticated and encrypted APDUs; an answer with less protection (plain, or encrypted
        // without a tag, whose bits can be flipped) is not from a meter that shares our keys.
        if ((c.securityControl() & Ciphering.AUTHENTICATED_ENCRYPTED) != Ciphering.AUTHENTICATED_ENCRYPTED) {
            throw new BadResponseException(settings.endpoint() + String.format(
                    ": the meter's answer is not authenticated and encrypted (security control 0x%02X)",
                    c.securityControl()), null);
        }
        if (c.invocationCounter() <= lastServerCounter) {
            throw new BadResponseException(settings.endpoint() + ": the meter's invocation counter went back ("
                    + c.invocationCounter() + " after " + lastServerCounter + "): replayed answer?", null);
        }
        try {
            Ciphering key = c.dedicated() && dedicated != null ? dedicated : ciphering;
            byte[] plain = key.unwrap(c, serverSystemTitle);
            lastServerCounter = c.invocationCounter();
            return plain;
        } catch (CipheringException e) {
            throw new BadResponseException(settings.endpoint() + ": cannot decipher the meter's answer: "
                    + e.getMessage(), e);
        }
    }

    private Apdu rawExchange(byte[] apdu, String what) throws DeviceException {
        try {
            channel.link().discardInput();
            channel.send(apdu, settings.responseTimeout());
            long deadline = System.nanoTime() + settings.responseTimeout().toNanos();
            byte[] in = channel.receive(settings.responseTimeout());
            // A meter may push over the link it is being read on: the push goes to its sink, the answer follows,
            // within the one answer timeout however many pushes come first.
            for (int pushes = 0; isPush(in); pushes++) {
                if (pushes == MAX_PUSHES_PER_ANSWER) {
                    throw new BadResponseException(settings.endpoint() + ": " + what + ": " + pushes
                            + " pushes and no answer", null);
                }
                unsolicited.accept(in);
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new LinkTimeoutException("no answer after " + (pushes + 1) + " pushes");
                }
                in = channel.receive(Duration.ofNanos(left));
            }
            return Apdu.decode(in);
        } catch (IOException e) {
            throw map(e, what);
        } catch (MalformedException e) {
            throw new BadResponseException(settings.endpoint() + ": " + what + ": unreadable answer: " + e.getMessage(), e);
        }
    }

    /** A Data-Notification, plain (0x0F) or under general-glo-ciphering (0xDB), which no request of ours asks for. */
    private static boolean isPush(byte[] apdu) {
        return apdu.length > 0 && ((apdu[0] & 0xFF) == DataNotification.TAG
                || (apdu[0] & 0xFF) == GeneralCiphering.GLO);
    }

    /** Where pushes that arrive on this association go (the gateway's push receiver); dropped by default. */
    void onUnsolicited(java.util.function.Consumer<byte[]> sink) {
        this.unsolicited = sink;
    }

    private DeviceException map(IOException e, String what) {
        String msg = settings.endpoint() + ": " + what + ": " + e.getMessage();
        if (e instanceof AnswerCutOffException) {
            return new NoResponseException(msg + " (a device dripping its answer?)", e);
        }
        if (e instanceof LinkTimeoutException || e instanceof InterruptedIOException) {
            return new NoResponseException(settings.endpoint() + ": " + what + ": no answer within "
                    + settings.responseTimeout().toMillis() + " ms", e);
        }
        if (e instanceof FrameException) {
            return new BadResponseException(msg, e);
        }
        if (e instanceof java.io.EOFException) {
            return new LinkDownException(msg, e); // our own words: "connection closed by ..."
        }
        return new LinkDownException(settings.endpoint() + ": " + what + ": connection broken ("
                + e.getClass().getSimpleName() + ")", e);
    }

    // ---- release -----------------------------------------------------------------------------------------

    /** Releases the association (RLRQ), disconnects HDLC (DISC) and closes the transport; never throws. */
    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        Duration brief = settings.responseTimeout().compareTo(Duration.ofSeconds(1)) < 0
                ? settings.responseTimeout() : Duration.ofSeconds(1);
        if (associated) {
            try {
                channel.send(new ReleaseRequest(0).encode(), brief);
                channel.receive(brief);
            } catch (IOException | RuntimeException e) {
                // Releasing is a courtesy; the meter's inactivity timer ends the association anyway.
            }
        }
        if (channel instanceof HdlcLink h) {
            h.disconnect(brief);
        }
        abort();
    }

    /** Drops the transport without any goodbye (after an error). */
    void abort() {
        associated = false;
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
