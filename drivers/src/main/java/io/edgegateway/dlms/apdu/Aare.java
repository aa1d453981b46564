package io.edgegateway.dlms.apdu;

import io.edgegateway.dlms.MalformedException;

import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * A-ASSOCIATE response (ACSE AARE, BER encoded).
 *
 * @param applicationContext   as requested (1 or 3)
 * @param result               0 accepted, 1 rejected-permanent, 2 rejected-transient
 * @param diagnosticSource     1 acse-service-user, 2 acse-service-provider
 * @param diagnostic           e.g. for the user source: 0 null, 1 no-reason-given, 2 application-context-name-not-
 *                             supported, 11 authentication-mechanism-name-not-recognised, 12 ...-required,
 *                             13 authentication-failure, 14 authentication-required
 * @param respondingApTitle    the server system title when ciphering, or null
 * @param mechanism            mechanism id echoed for HLS, or null
 * @param authenticationValue  the HLS server-to-client challenge, or null
 * @param userInformation      InitiateResponse (plain or glo-/ded-initiateResponse) or confirmedServiceError
 */
public record Aare(int applicationContext, int result, int diagnosticSource, int diagnostic, byte[] respondingApTitle,
                   Integer mechanism, byte[] authenticationValue, byte[] userInformation) implements Apdu {

    public static final int TAG = 0x61;
    public static final int ACCEPTED = 0;
    public static final int REJECTED_PERMANENT = 1;
    public static final int REJECTED_TRANSIENT = 2;
    public static final int SOURCE_USER = 1;
    public static final int SOURCE_PROVIDER = 2;
    public static final int AUTHENTICATION_REQUIRED = 14;
    public static final int AUTHENTICATION_FAILURE = 13;
    public static final int MECHANISM_NOT_RECOGNISED = 11;
    public static final int CONTEXT_NOT_SUPPORTED = 2;
    public static final int NO_REASON_GIVEN = 1;

    @Override
    public byte[] encode() {
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        Ber.write(c, 0xA1, Ber.tlv(0x06, Ber.dlmsOid(1, applicationContext)));
        Ber.write(c, 0xA2, new byte[] {0x02, 0x01, (byte) result});
        Ber.write(c, 0xA3, Ber.tlv(diagnosticSource == SOURCE_PROVIDER ? 0xA2 : 0xA1,
                new byte[] {0x02, 0x01, (byte) diagnostic}));
        if (respondingApTitle != null) {
            Ber.write(c, 0xA4, Ber.tlv(0x04, respondingApTitle));
        }
        if (mechanism != null) {
            Ber.write(c, 0x88, new byte[] {0x07, (byte) 0x80});
            Ber.write(c, 0x89, Ber.dlmsOid(2, mechanism));
        }
        if (authenticationValue != null) {
            Ber.write(c, 0xAA, Ber.tlv(0x80, authenticationValue));
        }
        if (userInformation != null) {
            Ber.write(c, 0xBE, Ber.tlv(0x04, userInformation));
        }
        return Ber.tlv(TAG, c.toByteArray());
    }

    static Aare decode(byte[] b) {
        Map<Integer, byte[]> e = Ber.elements(Ber.unwrap(b, TAG));
        if (!e.containsKey(0xA1) || !e.containsKey(0xA2) || !e.containsKey(0xA3)) {
            throw new MalformedException("AARE without application-context-name, result or diagnostic");
        }
        int context = Ber.dlmsOidLeaf(Ber.explicitOctets(e.get(0xA1), 0x06), 1);
        int result = Ber.explicitInteger(e.get(0xA2));
        Map<Integer, byte[]> diag = Ber.elements(e.get(0xA3));
        int source = diag.containsKey(0xA2) ? SOURCE_PROVIDER : SOURCE_USER;
        byte[] inner = diag.getOrDefault(0xA1, diag.get(0xA2));
        if (inner == null) {
            throw new MalformedException("AARE result-source-diagnostic is empty");
        }
        int diagnostic = Ber.explicitInteger(inner);
        byte[] title = e.containsKey(0xA4) ? Ber.explicitOctets(e.get(0xA4), 0x04) : null;
        Integer mech = e.containsKey(0x89) ? Ber.dlmsOidLeaf(e.get(0x89), 2) : null;
        byte[] auth = e.containsKey(0xAA) ? Ber.explicitOctets(e.get(0xAA), 0x80) : null;
        byte[] user = e.containsKey(0xBE) ? Ber.explicitOctets(e.get(0xBE), 0x04) : null;
        return new Aare(context, result, source, diagnostic, title, mech, auth, user);
    }

    public boolean accepted() {
        return result == ACCEPTED;
    }

    /** "rejected-permanent: authentication-failure" and the like, for messages. */
    public String describeResult() {
        String r = switch (result) {
            case ACCEPTED -> "accepted";
            case REJECTED_PERMANENT -> "rejected-permanent";
            case REJECTED_TRANSIENT -> "rejected-transient";
            default -> "result " + result;
        };
        String d;
        if (diagnosticSource == SOURCE_PROVIDER) {
            d = switch (diagnostic) {
                case 0 -> "null";
                case 1 -> "no-reason-given";
                case 2 -> "no-common-acse-version";
                default -> "provider diagnostic " + diagnostic;
            };
        } else {
            d = switch (diagnostic) {
                case 0 -> "null";
                case 1 -> "no-reason-given";
                case 2 -> "application-context-name-not-supported";
                case 3 -> "calling-AP-title-not-recognized";
                case 11 -> "authentication-mechanism-name-not-recognised";
                case 12 -> "authentication-mechanism-name-required";
                case 13 -> "authentication-failure";
                case 14 -> "authentication-required";
                default -> "user diagnostic " + diagnostic;
            };
        }
        return r + ": " + d;
    }
}
