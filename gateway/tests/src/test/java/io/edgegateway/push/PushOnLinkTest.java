package io.edgegateway.push;

import io.edgegateway.app.Gateway;
import io.edgegateway.app.ProtocolConnector;
import io.edgegateway.config.ConfigLoader;
import io.edgegateway.dlms.push.PushObject;
import io.edgegateway.sim.dlms.DlmsSimulator;
import io.edgegateway.sim.dlms.MeterAccess;
import io.edgegateway.sim.dlms.PushSender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A meter that pushes over the link the gateway is reading it on (the wrapper, or HDLC): the push is taken as a
 * push, checked against the meter's keys, and the read it interrupted goes on with the answer that follows.
 */
@Timeout(60)
class PushOnLinkTest {

    private static final String METER = "62124022447";
    private static final byte[] TITLE = java.util.HexFormat.of().parseHex("4D4D4D0000BC614E");

    @TempDir
    Path state;

    private DlmsSimulator sim;
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (sim != null) {
            sim.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dlms-tcp", "dlms-hdlc-tcp"})
    void aPushBetweenRequestAndAnswerIsTakenAndTheReadGoesOn(String busType) throws Exception {
        DlmsSimulator.Builder b = DlmsSimulator.builder().port(0).serialNumber(METER);
        sim = (busType.equals("dlms-tcp") ? b.wrapperTcp() : b.hdlcTcp()).build().start();
        PushSender pushes = PushSender.builder(sim.device()).systemTitle(TITLE)
                .keys(MeterAccess.EXAMPLE_BLOCK_CIPHER_KEY, MeterAccess.EXAMPLE_AUTHENTICATION_KEY)
                .target("127.0.0.1", 1).build(); // only its APDUs are used, never sent to a port
        String objects = pushes.objects().stream().map(PushOnLinkTest::yaml).collect(Collectors.joining("\n"));
        gateway = Gateway.start(ConfigLoader.loadYaml("""
                state-dir: "%s"
                server: {port: 0}
                storage: {enabled: false}
                buses: [{name: d, type: %s, host: 127.0.0.1, port: %d, timeout: 3s}]
                devices: [{meter-no: "%s", bus: d, profile: dlms-standard, interval: 200ms}]
                dlms-push:
                  listen: {port: 0, bind: 127.0.0.1}
                  devices:
                    - meter-no: "%s"
                      system-title: "4D4D4D0000BC614E"
                      block-cipher-key: "000102030405060708090A0B0C0D0E0F"
                      authentication-key: "D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF"
                      objects:
                %s
                """.formatted(state, busType, sim.port(), METER, METER, objects), "link.yaml", state),
                new ProtocolConnector(), Clock.systemUTC());
        await("a first poll", () -> gateway.stats().getFirst().devices().getFirst().polls() >= 1);
        for (int i = 0; i < 3; i++) {
            sim.pushOnLink(pushes.nextApdu());
        }
        await("three pushes taken from the link", () -> gateway.push().total().accepted() >= 3);
        long polls = gateway.stats().getFirst().devices().getFirst().polls();
        await("more polls", () -> gateway.stats().getFirst().devices().getFirst().polls() >= polls + 3);
        assertEquals(0, gateway.stats().getFirst().devices().getFirst().failures(),
                "the reads the pushes interrupted went on: " + gateway.stats());
        assertEquals(0, gateway.push().total().refusedTotal(), gateway.push().toString());
        assertEquals(3, gateway.push().meters().getFirst().counts().accepted());

        // A push under a key the gateway does not have is refused, and still does not break the read.
        PushSender stranger = PushSender.builder(sim.device()).systemTitle(TITLE)
                .keys(MeterAccess.EXAMPLE_BLOCK_CIPHER_KEY, new byte[16]).target("127.0.0.1", 1).build();
        sim.pushOnLink(stranger.nextApdu());
        await("the stranger refused", () -> gateway.push().total().refusedTotal() == 1);
        long after = gateway.stats().getFirst().devices().getFirst().polls();
        await("polls go on", () -> gateway.stats().getFirst().devices().getFirst().polls() >= after + 2);
        assertEquals(0, gateway.stats().getFirst().devices().getFirst().failures());
        assertTrue(gateway.push().total().accepted() >= 3);
    }

    private static String yaml(PushObject o) {
        return "            - {cosem: " + o.address().describe() + ", scaler: " + o.scaler()
                + (o.unit().isEmpty() ? "" : ", unit: \"" + o.unit() + "\"") + "}";
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("waited in vain for " + what);
            }
            Thread.sleep(50);
        }
    }
}
