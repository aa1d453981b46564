package io.edgegateway.dlms.client;

import io.edgegateway.dlms.apdu.InitiateRequest;
import io.edgegateway.serial.SerialSettings;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;

/**
 * How to reach, associate with and read one DLMS meter. Build with {@link #builder()} or read from YAML with
 * {@link #fromConfig}. Secrets (password, keys) are copied in and never shown by {@link #toString()}.
 *
 * @param transport          wrapper over TCP, HDLC over TCP, or HDLC on a serial line
 * @param host               TCP host (TCP transports)
 * @param port               TCP port, usually 4059 (TCP transports)
 * @param serial             serial line settings (hdlc-serial)
 * @param modeE              start a serial session with the IEC 62056-21 mode E handshake (optical heads): at
 *                           300 baud 7E1, "/?!", identification, ACK 2 Z 2, then HDLC at the meter's baud rate
 * @param clientAddress      client SAP: 16 public, 1 management; 32 and 48 are common for LLS/HLS clients
 * @param serverLogical      server upper HDLC address / wrapper wPort: 1 = management logical device
 * @param serverPhysical     server lower HDLC address (physical device), 0 for none
 * @param serverAddressSize  HDLC server address bytes: 1, 2, 4, or 0 = automatic (1 without a physical address,
 *                           else 2 when both parts fit in 7 bits, else 4)
 * @param authentication     none, lls or hls-gmac
 * @param password           LLS password
 * @param blockCipherKey     16-byte global unicast encryption key (hls-gmac)
 * @param authenticationKey  16-byte authentication key (hls-gmac)
 * @param systemTitle        the client's 8-byte system title (hls-gmac)
 * @param dedicatedKey       propose a fresh dedicated key per association and use ded- ciphering (hls-gmac)
 * @param maxPduSize         largest APDU the client accepts (InitiateRequest client-max-receive-pdu-size)
 * @param hdlcMaxInfo        HDLC maximum information field length proposed for both directions
 * @param hdlcWindow         HDLC window size proposed for both directions
 * @param responseTimeout    longest wait for any answer; a silent meter fails after this
 * @param connectTimeout     longest wait to open TCP
 * @param stateDirectory     where the invocation counter of each meter is kept (hls-gmac)
 * @param invocationCounterObject the meter's Data object holding the next invocation counter it accepts from this
 *                           client (0.0.43.1.x.255), read by the public client before each HLS association; null
 *                           not to read it
 */
public record DlmsSettings(Transport transport, String host, int port, SerialSettings serial, boolean modeE,
                           int clientAddress, int serverLogical, int serverPhysical, int serverAddressSize,
                           Authentication authentication, byte[] password, byte[] blockCipherKey,
                           byte[] authenticationKey, byte[] systemTitle, boolean dedicatedKey, int maxPduSize,
                           int hdlcMaxInfo, int hdlcWindow, Duration responseTimeout, Duration connectTimeout,
                           Path stateDirectory, io.edgegateway.dlms.ObisCode invocationCounterObject) {

    public static final int DEFAULT_PORT = 4059;

    public DlmsSettings {
        if (transport == null) {
            throw new IllegalArgumentException("a transport is required (wrapper-tcp, hdlc-tcp or hdlc-serial)");
        }
        if (transport.tcp()) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException(transport.configName() + " needs a host");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, got " + port);
            }
        } else if (serial == null) {
            throw new IllegalArgumentException("hdlc-serial needs serial settings (device, baud)");
        }
        if (invocationCounterObject != null && authentication != Authentication.HLS_GMAC) {
            throw new IllegalArgumentException("the invocation counter is read before an HLS-GMAC association; this "
                    + "one is " + authentication.configName());
        }
        if (modeE && transport != Transport.HDLC_SERIAL) {
            throw new IllegalArgumentException("the mode E handshake is for hdlc-serial only");
        }
        if (clientAddress < 1 || clientAddress > 0x7F) {
            throw new IllegalArgumentException("client address must be 1..127, got " + clientAddress);
        }
        if (serverLogical < 0 || serverLogical > 0x3FFF || serverPhysical < 0 || serverPhysical > 0x3FFF) {
            throw new IllegalArgumentException("server addresses must be 0..16383");
        }
        if (serverAddressSize != 0 && serverAddressSize != 1 && serverAddressSize != 2 && serverAddressSize != 4) {
            throw new IllegalArgumentException("server address size must be 1, 2, 4 or 0 (automatic)");
        }
        authentication = authentication == null ? Authentication.NONE : authentication;
        password = password == null ? null : password.clone();
        blockCipherKey = blockCipherKey == null ? null : blockCipherKey.clone();
        authenticationKey = authenticationKey == null ? null : authenticationKey.clone();
        systemTitle = systemTitle == null ? null : systemTitle.clone();
        switch (authentication) {
            case LLS -> {
                if (password == null || password.length == 0) {
                    throw new IllegalArgumentException("lls needs a password");
                }
            }
            case HLS_GMAC -> {
                if (blockCipherKey == null || blockCipherKey.length != 16) {
                    throw new IllegalArgumentException("hls-gmac needs a 16-byte block cipher key (32 hex digits)");
                }
                if (authenticationKey == null || authenticationKey.length != 16) {
                    throw new IllegalArgumentException("hls-gmac needs a 16-byte authentication key (32 hex digits)");
                }
                if (systemTitle == null || systemTitle.length != 8) {
                    throw new IllegalArgumentException("hls-gmac needs the client's 8-byte system title (16 hex digits)");
                }
                if (stateDirectory == null) {
                    throw new IllegalArgumentException("hls-gmac needs a state directory for the invocation counter");
                }
            }
            default -> { }
        }
        if (maxPduSize < 64 || maxPduSize > 0xFFFF) {
            throw new IllegalArgumentException("max PDU size must be 64..65535, got " + maxPduSize);
        }
        if (hdlcMaxInfo < 32 || hdlcMaxInfo > 2030) {
            throw new IllegalArgumentException("HDLC max info field must be 32..2030, got " + hdlcMaxInfo);
        }
        if (hdlcWindow < 1 || hdlcWindow > 7) {
            throw new IllegalArgumentException("HDLC window must be 1..7, got " + hdlcWindow);
        }
        responseTimeout = responseTimeout == null ? Duration.ofSeconds(5) : responseTimeout;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        if (responseTimeout.isNegative() || responseTimeout.isZero() || connectTimeout.isNegative()
                || connectTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    @Override
    public byte[] password() {
        return password == null ? null : password.clone();
    }

    @Override
    public byte[] blockCipherKey() {
        return blockCipherKey == null ? null : blockCipherKey.clone();
    }

    @Override
    public byte[] authenticationKey() {
        return authenticationKey == null ? null : authenticationKey.clone();
    }

    @Override
    public byte[] systemTitle() {
        return systemTitle == null ? null : systemTitle.clone();
    }

    /** "tcp 10.0.0.5:4059 (wrapper)" or "/dev/ttyUSB0 9600 8N1 (hdlc)": where the meter is, for messages. */
    public String endpoint() {
        return switch (transport) {
            case WRAPPER_TCP -> host + ":" + port + " (wrapper)";
            case HDLC_TCP -> host + ":" + port + " (hdlc)";
            case HDLC_SERIAL -> serial.describe() + " (hdlc" + (modeE ? ", mode E" : "") + ")";
        };
    }

    /**
     * Names the invocation counter file by what the AES-GCM nonce depends on: our system title and the block
     * cipher key (by a fingerprint, never the key). Every association under the same key and title, from the
     * service or a field tool, meter renamed or not, then draws from one counter.
     */
    public String counterKey() {
        if (systemTitle == null || blockCipherKey == null) {
            throw new IllegalStateException("only HLS-GMAC associations use invocation counters");
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(blockCipherKey);
            return HexFormat.of().formatHex(systemTitle) + "_k" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "DlmsSettings[" + endpoint() + ", client " + clientAddress + ", server " + serverLogical
                + (serverPhysical != 0 ? "/" + serverPhysical : "") + ", " + authentication.configName()
                + (password != null ? ", password ****" : "") + (blockCipherKey != null ? ", keys ****" : "")
                + ", max PDU " + maxPduSize + (transport.hdlc() ? ", HDLC info " + hdlcMaxInfo + " window " + hdlcWindow : "")
                + ", timeout " + responseTimeout.toMillis() + " ms]";
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from the defaults: public client 16, server 1, no security, PDU 1024, HDLC 128/1. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.transport = transport;
        b.host = host;
        b.port = port;
        b.serial = serial;
        b.modeE = modeE;
        b.clientAddress = clientAddress;
        b.serverLogical = serverLogical;
        b.serverPhysical = serverPhysical;
        b.serverAddressSize = serverAddressSize;
        b.authentication = authentication;
        b.password = password;
        b.blockCipherKey = blockCipherKey;
        b.authenticationKey = authenticationKey;
        b.systemTitle = systemTitle;
        b.dedicatedKey = dedicatedKey;
        b.maxPduSize = maxPduSize;
        b.hdlcMaxInfo = hdlcMaxInfo;
        b.hdlcWindow = hdlcWindow;
        b.responseTimeout = responseTimeout;
        b.connectTimeout = connectTimeout;
        b.stateDirectory = stateDirectory;
        b.invocationCounterObject = invocationCounterObject;
        return b;
    }

    /** Collects settings; {@link #build()} validates them. */
    public static final class Builder {
        private Transport transport;
        private String host;
        private int port = DEFAULT_PORT;
        private SerialSettings serial;
        private boolean modeE;
        private int clientAddress = 16;
        private int serverLogical = 1;
        private int serverPhysical;
        private int serverAddressSize;
        private Authentication authentication = Authentication.NONE;
        private byte[] password;
        private byte[] blockCipherKey;
        private byte[] authenticationKey;
        private byte[] systemTitle;
        private boolean dedicatedKey;
        private int maxPduSize = 1024;
        private int hdlcMaxInfo = 128;
        private int hdlcWindow = 1;
        private Duration responseTimeout = Duration.ofSeconds(5);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Path stateDirectory;
        private io.edgegateway.dlms.ObisCode invocationCounterObject;

        private Builder() {
        }

        public Builder wrapperTcp(String host, int port) {
            this.transport = Transport.WRAPPER_TCP;
            this.host = host;
            this.port = port;
            return this;
        }

        public Builder hdlcTcp(String host, int port) {
            this.transport = Transport.HDLC_TCP;
            this.host = host;
            this.port = port;
            return this;
        }

        public Builder hdlcSerial(SerialSettings serial) {
            this.transport = Transport.HDLC_SERIAL;
            this.serial = serial;
            return this;
        }

        public Builder modeE(boolean on) {
            this.modeE = on;
            return this;
        }

        public Builder client(int sap) {
            this.clientAddress = sap;
            return this;
        }

        public Builder server(int logical, int physical, int addressSize) {
            this.serverLogical = logical;
            this.serverPhysical = physical;
            this.serverAddressSize = addressSize;
            return this;
        }

        public Builder server(int logical) {
            return server(logical, 0, 0);
        }

        public Builder noSecurity() {
            this.authentication = Authentication.NONE;
            return this;
        }

        public Builder lls(byte[] password) {
            this.authentication = Authentication.LLS;
            this.password = password.clone();
            return this;
        }

        public Builder lls(String password) {
            return lls(password.getBytes(StandardCharsets.US_ASCII));
        }

        public Builder hlsGmac(byte[] blockCipherKey, byte[] authenticationKey, byte[] systemTitle) {
            this.authentication = Authentication.HLS_GMAC;
            this.blockCipherKey = blockCipherKey.clone();
            this.authenticationKey = authenticationKey.clone();
            this.systemTitle = systemTitle.clone();
            return this;
        }

        public Builder dedicatedKey(boolean on) {
            this.dedicatedKey = on;
            return this;
        }

        public Builder maxPduSize(int bytes) {
            this.maxPduSize = bytes;
            return this;
        }

        public Builder hdlc(int maxInfo, int window) {
            this.hdlcMaxInfo = maxInfo;
            this.hdlcWindow = window;
            return this;
        }

        public Builder responseTimeout(Duration d) {
            this.responseTimeout = d;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        public Builder stateDirectory(Path dir) {
            this.stateDirectory = dir;
            return this;
        }

        /** The meter's invocation counter object to read before each HLS association (0.0.43.1.x.255). */
        public Builder invocationCounterObject(io.edgegateway.dlms.ObisCode obis) {
            this.invocationCounterObject = obis;
            return this;
        }


        public DlmsSettings build() {
            return new DlmsSettings(transport, host, port, serial, modeE, clientAddress, serverLogical, serverPhysical,
                    serverAddressSize, authentication, password, blockCipherKey, authenticationKey, systemTitle,
                    dedicatedKey, maxPduSize, hdlcMaxInfo, hdlcWindow, responseTimeout, connectTimeout, stateDirectory,
                    invocationCounterObject);
        }
    }
}
