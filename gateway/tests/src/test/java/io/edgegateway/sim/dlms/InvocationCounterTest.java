package io.edgegateway.sim.dlms;

import io.edgegateway.device.DeviceException;
import io.edgegateway.dlms.ObisCode;
import io.edgegateway.dlms.client.DlmsMeter;
import io.edgegateway.dlms.client.DlmsSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway whose HLS invocation counter fell behind (a restored SD card, a replacement unit with the same system
 * title) is refused by a meter that remembers the highest counter it saw; reading the meter's counter object
 * 0.0.43.1.0.255 as the public client first lets it associate again.
 */
@Timeout(60)
class InvocationCounterTest {

    private static final byte[] TITLE = HexFormat.of().parseHex("4D4D4D0000BC614E");

    @TempDir
    Path first;
    @TempDir
    Path replaced;

    private DlmsSettings.Builder hls(DlmsSimulator sim, Path state) {
        return DlmsSettings.builder().wrapperTcp("127.0.0.1", sim.port()).client(48)
                .hlsGmac(MeterAccess.EXAMPLE_BLOCK_CIPHER_KEY, MeterAccess.EXAMPLE_AUTHENTICATION_KEY, TITLE)
                .stateDirectory(state).responseTimeout(Duration.ofSeconds(3));
    }

    @Test
    void aCounterThatFellBehindCatchesUpFromTheMetersOwnObject() throws Exception {
        try (DlmsSimulator sim = DlmsSimulator.builder().wrapperTcp().bind("127.0.0.1").port(0).build().start()) {
            // The original gateway: its counter file reserves blocks of 64, so a few associations move it past 64.
            for (int i = 0; i < 3; i++) {
                try (DlmsMeter m = new DlmsMeter(hls(sim, first).build())) {
                    m.readSerialNumber();
                }
                sim.dropConnections();
            }
            long seen = sim.lastClientCounter(TITLE);
            assertTrue(seen > 0, "the meter saw our counter: " + seen);

            // A replacement with a fresh counter file starts at 0: the meter refuses it.
            try (DlmsMeter stale = new DlmsMeter(hls(sim, replaced).build())) {
                DeviceException e = assertThrows(io.edgegateway.device.RejectedException.class,
                        stale::readSerialNumber);
                assertTrue(e.getMessage().contains("an invocation counter the meter has already seen"), e.getMessage());
            }
            // Told where the meter keeps the counter it expects, it reads it first and associates.
            try (DlmsMeter caughtUp = new DlmsMeter(hls(sim, replaced)
                    .invocationCounterObject(ObisCode.parse("0.0.43.1.0.255")).build())) {
                assertEquals(sim.serialNumber(), caughtUp.readSerialNumber());
            }
            assertTrue(sim.lastClientCounter(TITLE) > seen, "the counter moved on: " + sim.lastClientCounter(TITLE));
        }
    }
}
