package io.edgegateway.sim.dlms;

import io.edgegateway.dlms.apdu.ActionResponse;
import io.edgegateway.dlms.apdu.DataAccessResult;
import io.edgegateway.dlms.axdr.CosemDateTime;
import io.edgegateway.dlms.axdr.DataTag;
import io.edgegateway.dlms.axdr.DlmsData;
import io.edgegateway.dlms.client.DlmsMeter;
import io.edgegateway.dlms.client.DlmsSettings;
import io.edgegateway.dlms.cosem.CaptureObject;
import io.edgegateway.testing.HandClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ACTION with its parameters in blocks: on an HLS association with a 64-byte PDU, the clock's
 * preset_adjusting_time (three date-times, 78 bytes ciphered) cannot go in one request, so it goes in blocks, each
 * acknowledged; adjust_to_preset_time then sets the clock to the preset, as a head-end sets a meter at a chosen
 * instant.
 */
@Timeout(30)
class ActionBlocksTest {

    private static final Instant NOW = Instant.parse("2026-11-03T10:07:00Z");

    @TempDir
    Path state;

    @Test
    void presetAdjustingTimeGoesInBlocksAndAdjustSetsTheClock() throws Exception {
        HandClock clock = new HandClock(NOW);
        try (DlmsSimulator sim = DlmsSimulator.builder().wrapperTcp().bind("127.0.0.1").port(0).clock(clock)
                .maxPduSize(64).build().start();
             DlmsMeter m = new DlmsMeter(DlmsSettings.builder().wrapperTcp("127.0.0.1", sim.port()).client(48)
                     .hlsGmac(MeterAccess.EXAMPLE_BLOCK_CIPHER_KEY, MeterAccess.EXAMPLE_AUTHENTICATION_KEY,
                             HexFormat.of().parseHex("4D4D4D0000BC614E"))
                     .stateDirectory(state).responseTimeout(Duration.ofSeconds(3)).build())) {
            Instant preset = NOW.plus(Duration.ofMinutes(30));
            DlmsData window = DlmsData.Structure.of(CosemDateTime.ofUtc(preset).toData(),
                    CosemDateTime.ofUtc(NOW).toData(), CosemDateTime.ofUtc(NOW.plus(Duration.ofHours(1))).toData());
            m.connection(); // associated: the requests below are counted alone
            long before = sim.served().requests();
            ActionResponse presetting = m.connection().action(8, CaptureObject.CLOCK, 6, window);
            assertEquals(DataAccessResult.SUCCESS.code(), presetting.result());
            assertTrue(sim.served().requests() - before >= 2, "the parameters went in blocks: "
                    + (sim.served().requests() - before) + " requests");
            ActionResponse adjust = m.connection().action(8, CaptureObject.CLOCK, 4,
                    DlmsData.Int.of(DataTag.INTEGER, 0));
            assertEquals(DataAccessResult.SUCCESS.code(), adjust.result());
            assertEquals(preset, sim.meterTime(), "the clock now keeps the preset time");
            assertEquals(DataAccessResult.OTHER_REASON.code(), m.connection().action(8, CaptureObject.CLOCK, 4,
                    DlmsData.Int.of(DataTag.INTEGER, 0)).result(), "a preset is used once");
        }
    }
}
