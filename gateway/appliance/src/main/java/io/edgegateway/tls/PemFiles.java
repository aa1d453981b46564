package io.edgegateway.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Reads PEM certificates and private keys into what the JDK's TLS needs. Errors are {@link PemException}s that
 * say what is wrong in an installer's words (not a certificate, an encrypted or PKCS#1 key and how to convert it),
 * never the key's bytes.
 */
public final class PemFiles {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

    private PemFiles() {
    }

    /** A PEM file the gateway cannot use. */
    public static final class PemException extends Exception {
        public PemException(String message) {
            super(message);
        }
    }

    /** Every certificate in {@code file} (a CA bundle may hold several). */
    public static List<X509Certificate> certificates(Path file) throws PemException {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(file)) {
                if (b.type().equals("CERTIFICATE")) {
                    out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (CertificateException e) {
            throw new PemException(file + ": not a valid X.509 certificate (" + e.getMessage() + ")");
        }
        if (out.isEmpty()) {
            throw new PemException(file + ": no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    /** The one private key in {@code file}: unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}), RSA or EC. */
    public static PrivateKey privateKey(Path file) throws PemException {
        for (Block b : blocks(file)) {
            switch (b.type()) {
                case "PRIVATE KEY" -> {
                    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
                        try {
                            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(b.der()));
                        } catch (GeneralSecurityException e) {
                            // try the next algorithm
                        }
                    }
                    throw new PemException(file + ": a PKCS#8 key of an algorithm this JDK cannot read (use RSA or EC)");
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new PemException(file + ": the key is in the older "
                        + b.type().split(" ")[0] + " form; convert it to PKCS#8 with `openssl pkcs8 -topk8 -nocrypt -in "
                        + file.getFileName() + " -out key-pkcs8.pem`");
                case "ENCRYPTED PRIVATE KEY" -> throw new PemException(file + ": the key is encrypted; the gateway needs"
                        + " it unencrypted (`openssl pkcs8 -topk8 -nocrypt`), readable by its own user only");
                default -> {
                    // certificates beside the key are fine
                }
            }
        }
        throw new PemException(file + ": no private key in it (expected -----BEGIN PRIVATE KEY-----)");
    }

    /** Trusts exactly the certificates in {@code caFile}. */
    public static TrustManagerFactory trust(Path caFile) throws PemException {
        try {
            KeyStore ks = emptyStore();
            int i = 0;
            for (X509Certificate c : certificates(caFile)) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf;
        } catch (GeneralSecurityException e) {
            throw new PemException(caFile + ": cannot be used as a trust store (" + e.getMessage() + ")");
        }
    }

    /** A client identity: the certificate chain in {@code certFile} and the key in {@code keyFile}. */
    public static KeyManagerFactory identity(Path certFile, Path keyFile) throws PemException {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        if (!chain.getFirst().getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            throw new PemException(keyFile + ": a " + key.getAlgorithm() + " key, but " + certFile + " holds a "
                    + chain.getFirst().getPublicKey().getAlgorithm() + " certificate; they are not a pair");
        }
        try {
            KeyStore ks = emptyStore();
            char[] none = new char[0];
            ks.setKeyEntry("client", key, none, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, none);
            return kmf;
        } catch (GeneralSecurityException e) {
            throw new PemException(certFile + " and " + keyFile + ": not a usable certificate and key (" + e.getMessage()
                    + ")");
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        return ks;
    }

    private record Block(String type, byte[] der) {
    }

    private static List<Block> blocks(Path file) throws PemException {
        String text;
        try {
            // Latin-1 reads any byte: CA bundles carry UTF-8 comments between their blocks.
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new PemException(file + ": cannot be read (" + (Files.exists(file) ? "permission denied or not a file"
                    : "no such file") + ")");
        }
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new PemException(file + ": a " + m.group(1) + " block that is not valid base64");
            }
        }
        return out;
    }
}
