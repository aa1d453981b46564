package io.edgegateway.uplink;

import io.edgegateway.testing.MosquittoBroker;
import io.edgegateway.testing.MosquittoSubscriber;
import io.edgegateway.testing.TestCertificates;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broker that says no, against a real Mosquitto: a wrong password, and TLS with a CA that did not sign the
 * broker's certificate. The gateway shows ERROR with the reason in {@code /health} and {@code /metrics}, logs one
 * line per change (not one per retry), keeps polling, never logs the password, and connects once the operator
 * fixes the broker's password or the CA file, without a restart. A client certificate the broker demands is
 * presented from PEM files.
 */
@Timeout(180)
class UplinkRefusalTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    @Test
    void aRefusedPasswordAndAnUntrustedCertificateShowAsErrorsAndRecoverOnceFixed() throws Exception {
        UplinkRig.requireBroker(true);
        TestCertificates certs = TestCertificates.generate(dir.resolve("certs"));
        MosquittoBroker broker = MosquittoBroker.builder(dir.resolve("broker")).user("gw", "another-password-9")
                .user("hes", "hes-password-1").tls(certs).build().start();
        closing.add(broker);
        UplinkRig rig = new UplinkRig(dir);
        closing.add(rig);
        Path ca = dir.resolve("gateway-ca.pem");
        Files.copy(certs.otherCaCert(), ca); // the wrong CA, as an installer might copy it
        UplinkRig.Gateway wrongPassword = rig.gateway("gw-pass", "{url: \"mqtt://127.0.0.1:" + broker.port()
                + "\", username: gw, password-env: MQTT_PASSWORD}").start();
        UplinkRig.Gateway wrongCa = rig.gateway("gw-tls", "{url: \"mqtts://localhost:" + broker.tlsPort()
                + "\", username: gw, password-env: MQTT_PASSWORD, tls: {ca-file: \"" + ca + "\"}}").start();

        JsonObject refused = wrongPassword.awaitUplink(u -> u.getString("status").equals("ERROR"), Duration.ofSeconds(20),
                "ERROR for the password");
        assertTrue(refused.getString("reason").contains("refused the username or password"), refused.toString());
        JsonObject untrusted = wrongCa.awaitUplink(u -> u.getString("status").equals("ERROR"), Duration.ofSeconds(20),
                "ERROR for the certificate");
        assertTrue(untrusted.getString("reason").contains("not signed by a trusted CA"), untrusted.toString());
        assertTrue(wrongPassword.metrics().contains("gateway_uplink_state{state=\"ERROR\"} 1"));

        Thread.sleep(8000); // several retries, with backoff
        for (UplinkRig.Gateway g : List.of(wrongPassword, wrongCa)) {
            JsonObject h = g.health();
            assertEquals(2, h.getInt("connected"), "polling goes on while the broker refuses: " + h);
            assertEquals("DEGRADED", h.getString("status"));
            assertTrue(g.uplink().getJsonNumber("backlog").longValue() > 0, "what it could not send waits");
        }
        String passLog = wrongPassword.process.log();
        assertEquals(1, count(passLog, "ERROR (the broker refused the username or password"),
                "one line per change, not one per retry:\n" + passLog);
        assertFalse(passLog.contains(UplinkRig.PASSWORD), "the password is never logged");

        MosquittoSubscriber hes = MosquittoSubscriber.builder(broker.port(), "gateways/#").credentials("hes", "hes-password-1")
                .qos(1).mqtt5().build().start();
        closing.add(hes);
        broker.changePassword("gw", UplinkRig.PASSWORD);
        Files.copy(certs.caCert(), ca, StandardCopyOption.REPLACE_EXISTING);
        for (UplinkRig.Gateway g : List.of(wrongPassword, wrongCa)) {
            g.awaitUplink(u -> u.getString("status").equals("CONNECTED") && u.getJsonNumber("backlog").longValue() == 0,
                    Duration.ofSeconds(60), "CONNECTED and caught up once fixed");
        }
        hes.await(m -> m.stream().anyMatch(x -> x.topic().startsWith("gateways/gw-pass/meters/m1/reading"))
                && m.stream().anyMatch(x -> x.topic().startsWith("gateways/gw-tls/meters/m2/reading")), Duration.ofSeconds(20));
        assertTrue(wrongPassword.process.log().contains("CONNECTED"));
        assertEquals("UP", wrongCa.health().getString("status"));
    }

    @Test
    void aClientCertificateFromPemFilesIsAcceptedWhereTheBrokerDemandsOne() throws Exception {
        UplinkRig.requireBroker(true);
        TestCertificates certs = TestCertificates.generate(dir.resolve("certs"));
        MosquittoBroker broker = MosquittoBroker.builder(dir.resolve("broker")).tls(certs).requireClientCertificate()
                .build().start();
        closing.add(broker);
        UplinkRig rig = new UplinkRig(dir);
        closing.add(rig);
        UplinkRig.Gateway g = rig.gateway("gw-cert", "{url: \"mqtts://localhost:" + broker.tlsPort() + "\", tls: {ca-file: \""
                + certs.caCert() + "\", cert-file: \"" + certs.clientCert() + "\", key-file: \"" + certs.clientKey() + "\"}}")
                .start();
        g.awaitUplink(u -> u.getString("status").equals("CONNECTED") && u.getJsonNumber("acknowledged").longValue() > 5,
                Duration.ofSeconds(30), "CONNECTED with a client certificate");
    }

    @Test
    void aBrokerThatRefusesTheReadingsByAclShowsErrorBacksOffAndRecoversOnceAllowed() throws Exception {
        UplinkRig.requireBroker(false);
        Path acl = dir.resolve("acl");
        Files.writeString(acl, "user gw\ntopic write gateways/gw-acl/status\ntopic write gateways/gw-acl/meters/+/status\n");
        MosquittoBroker broker = MosquittoBroker.builder(dir.resolve("broker")).user("gw", UplinkRig.PASSWORD)
                .config("acl_file " + acl).build().start();
        closing.add(broker);
        UplinkRig rig = new UplinkRig(dir);
        closing.add(rig);
        UplinkRig.Gateway g = rig.gateway("gw-acl", "{url: \"mqtt://127.0.0.1:" + broker.port()
                + "\", username: gw, password-env: MQTT_PASSWORD}").start();
        JsonObject refused = g.awaitUplink(u -> u.getString("status").equals("ERROR"), Duration.ofSeconds(20),
                "ERROR for a refused reading");
        assertTrue(refused.getString("reason").contains("refused to take gateways/gw-acl/meters/"), refused.toString());
        assertTrue(refused.getString("reason").contains("NOT_AUTHORIZED"), refused.toString());
        Thread.sleep(10_000);
        JsonObject later = g.uplink();
        // Backoff is not reset by a connection that got nothing through: 1 + 2 + 4 s, not one a second.
        assertTrue(later.getInt("connects") <= 5, "connects " + later);
        assertEquals(2, g.health().getInt("connected"), "polling goes on");

        Files.writeString(acl, "user gw\ntopic write gateways/gw-acl/#\n");
        broker.changePassword("gw", UplinkRig.PASSWORD); // rewrites the password file and reloads (SIGHUP)
        g.awaitUplink(u -> u.getString("status").equals("CONNECTED") && u.getJsonNumber("backlog").longValue() == 0,
                Duration.ofSeconds(60), "CONNECTED and caught up once the ACL allows it");
    }

    private static int count(String text, String fragment) {
        int n = 0;
        for (int i = text.indexOf(fragment); i >= 0; i = text.indexOf(fragment, i + 1)) {
            n++;
        }
        return n;
    }
}
