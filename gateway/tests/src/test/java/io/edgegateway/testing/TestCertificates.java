package io.edgegateway.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway PKI for TLS tests, made fresh by openssl in the test's directory so that no key is ever checked in
 * and none outlives the test. EC P-256 keys everywhere: generated in milliseconds, and accepted by mosquitto, by
 * mosquitto_sub/pub and by the JDK. Every private key is unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}), the only
 * form the gateway reads.
 *
 * @param caCert      the CA that signed the server and the client certificate (ca.pem)
 * @param caKey       its key (ca.key), for a test that must sign more
 * @param serverCert  CN=localhost, subjectAltName DNS:localhost and IP:127.0.0.1, so that a client connecting to
 *                    either name verifies the host (server.pem)
 * @param serverKey   server.key
 * @param clientCert  a client certificate for brokers that require one (client.pem)
 * @param clientKey   client-key.pem
 * @param otherCaCert an unrelated CA that signed nothing here: trusting it instead of {@link #caCert} must make the
 *                    handshake fail (other-ca.pem)
 */
public record TestCertificates(Path caCert, Path caKey, Path serverCert, Path serverKey, Path clientCert,
                               Path clientKey, Path otherCaCert) {

    private static final String CURVE = "ec_paramgen_curve:prime256v1";

    /**
     * Writes the CA, server, client and unrelated CA files into {@code dir} (created if missing).
     *
     * @throws IllegalStateException with openssl's output if one of its commands fails
     */
    public static TestCertificates generate(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        TestCertificates c = new TestCertificates(dir.resolve("ca.pem"), dir.resolve("ca.key"),
                dir.resolve("server.pem"), dir.resolve("server.key"), dir.resolve("client.pem"),
                dir.resolve("client-key.pem"), dir.resolve("other-ca.pem"));
        certificateAuthority(dir, c.caCert, c.caKey, "/CN=Edge gateway test CA");
        certificateAuthority(dir, c.otherCaCert, dir.resolve("other-ca.key"), "/CN=Unrelated test CA");
        signed(dir, c, "server", "/CN=localhost", c.serverCert, c.serverKey,
                "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        signed(dir, c, "client", "/CN=edge-gateway-test-client", c.clientCert, c.clientKey,
                "extendedKeyUsage=clientAuth\n");
        // openssl 1.1 and 3 both write PKCS#8 from req -newkey; check anyway, a traditional key would fail later
        // and far from here
        String key = Files.readString(c.clientKey, StandardCharsets.US_ASCII);
        if (!key.startsWith("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalStateException(c.clientKey + " is not an unencrypted PKCS#8 key:\n" + key.lines()
                    .findFirst().orElse(""));
        }
        return c;
    }

    private static void certificateAuthority(Path dir, Path cert, Path key, String subject)
            throws IOException, InterruptedException {
        // -addext rather than the system openssl.cnf: its v3_ca section differs between distributions
        openssl(dir, "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", CURVE, "-nodes", "-days", "3650",
                "-subj", subject, "-keyout", key.toString(), "-out", cert.toString(),
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    private static void signed(Path dir, TestCertificates ca, String name, String subject, Path cert, Path key,
                               String extensions) throws IOException, InterruptedException {
        Path csr = dir.resolve(name + ".csr");
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, "basicConstraints=critical,CA:FALSE\n"
                + "keyUsage=critical,digitalSignature,keyAgreement\n" + extensions);
        openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", CURVE, "-nodes", "-subj", subject,
                "-keyout", key.toString(), "-out", csr.toString());
        String serial = "0x" + Long.toHexString(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
        openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", ca.caCert.toString(), "-CAkey",
                ca.caKey.toString(), "-set_serial", serial, "-days", "3650", "-extfile", ext.toString(),
                "-out", cert.toString());
        Files.delete(csr);
        Files.delete(ext);
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " did not finish in 30 s:\n" + output);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "):\n"
                    + output);
        }
    }
}
