package io.edgegateway.sim.dlms;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Who may associate with the simulated meter: the public client (no security), an LLS client with a password, and
 * an HLS-GMAC client with keys; plus the meter's own system title. Secrets are never shown by {@link #toString()}.
 *
 * @param publicClient      client SAP without security (16)
 * @param llsClient         client SAP that must send the password (32)
 * @param password          the LLS password
 * @param hlsClient         client SAP for HLS-GMAC with AES-GCM ciphering (48)
 * @param blockCipherKey    16-byte global unicast encryption key
 * @param authenticationKey 16-byte authentication key
 * @param systemTitle       the meter's 8-byte system title
 */
public record MeterAccess(int publicClient, int llsClient, byte[] password, int hlsClient, byte[] blockCipherKey,
                          byte[] authenticationKey, byte[] systemTitle) {

    /** Keys of the DLMS UA Green Book ciphering example; fine for a simulator, never for a real meter. */
    public static final byte[] EXAMPLE_BLOCK_CIPHER_KEY = HexFormat.of().parseHex("000102030405060708090A0B0C0D0E0F");
    public static final byte[] EXAMPLE_AUTHENTICATION_KEY = HexFormat.of().parseHex("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");
    /** "EDGESIM1". */
    public static final byte[] DEFAULT_SYSTEM_TITLE = "EDGESIM1".getBytes(StandardCharsets.US_ASCII);

    public MeterAccess {
        for (int sap : new int[] {publicClient, llsClient, hlsClient}) {
            if (sap < 1 || sap > 127) {
                throw new IllegalArgumentException("client addresses are 1..127, got " + sap);
            }
        }
        if (publicClient == llsClient || publicClient == hlsClient || llsClient == hlsClient) {
            throw new IllegalArgumentException("public, LLS and HLS clients need different addresses");
        }
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("the LLS password must not be empty");
        }
        if (blockCipherKey.length != 16 || authenticationKey.length != 16) {
            throw new IllegalArgumentException("keys are 16 bytes (32 hex digits)");
        }
        if (systemTitle.length != 8) {
            throw new IllegalArgumentException("the system title is 8 bytes (16 hex digits)");
        }
        password = password.clone();
        blockCipherKey = blockCipherKey.clone();
        authenticationKey = authenticationKey.clone();
        systemTitle = systemTitle.clone();
    }

    /** Public 16, LLS 32 with password "12345678", HLS 48 with the Green Book example keys. */
    public static MeterAccess defaults() {
        return new MeterAccess(16, 32, "12345678".getBytes(StandardCharsets.US_ASCII), 48, EXAMPLE_BLOCK_CIPHER_KEY,
                EXAMPLE_AUTHENTICATION_KEY, DEFAULT_SYSTEM_TITLE);
    }

    public MeterAccess withPassword(String newPassword) {
        return new MeterAccess(publicClient, llsClient, newPassword.getBytes(StandardCharsets.US_ASCII), hlsClient,
                blockCipherKey, authenticationKey, systemTitle);
    }

    public MeterAccess withKeys(byte[] ek, byte[] ak, byte[] title) {
        return new MeterAccess(publicClient, llsClient, password, hlsClient, ek, ak, title);
    }

    public MeterAccess withClients(int publicSap, int llsSap, int hlsSap) {
        return new MeterAccess(publicSap, llsSap, password, hlsSap, blockCipherKey, authenticationKey, systemTitle);
    }

    @Override
    public byte[] password() {
        return password.clone();
    }

    @Override
    public byte[] blockCipherKey() {
        return blockCipherKey.clone();
    }

    @Override
    public byte[] authenticationKey() {
        return authenticationKey.clone();
    }

    @Override
    public byte[] systemTitle() {
        return systemTitle.clone();
    }

    @Override
    public String toString() {
        return "MeterAccess[public " + publicClient + ", lls " + llsClient + " (password ****), hls-gmac " + hlsClient
                + " (keys ****), system title " + HexFormat.of().withUpperCase().formatHex(systemTitle) + "]";
    }
}
