package io.edgegateway.sim.dlms;

import io.edgegateway.dlms.client.DlmsMeter;
import io.edgegateway.dlms.client.DlmsSettings;
import io.edgegateway.dlms.cosem.BufferSelection;
import io.edgegateway.dlms.cosem.LoadProfile;
import io.edgegateway.dlms.cosem.ProfileRow;
import io.edgegateway.point.PointValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.AuthenticationMechanism;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.GetResult;
import org.openmuc.jdlms.ObisCode;
import org.openmuc.jdlms.SecuritySuite;
import org.openmuc.jdlms.SelectiveAccessDescription;
import org.openmuc.jdlms.SetParameter;
import org.openmuc.jdlms.TcpConnectionBuilder;
import org.openmuc.jdlms.datatypes.CosemDateFormat;
import org.openmuc.jdlms.datatypes.CosemDateTime;
import org.openmuc.jdlms.datatypes.DataObject;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A DLMS client from outside the project (OpenMUC jDLMS) reads the simulator as it would a meter: public client
 * 16, server (logical device) 1, over the IEC 62056-47 wrapper and over HDLC on TCP; and sets the load limit as
 * the LLS client 32. An encoding bug shared by our client and our simulator cannot hide from a second
 * implementation.
 */
class OutsideClientInteropTest {

    private DlmsSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrapper", "hdlc"})
    void jdlmsReadsRegistersScalerUnitsAndTheSerialNumber(String framing) throws Exception {
        DlmsSimulator.Builder b = DlmsSimulator.builder().port(0).serialNumber("62124022443");
        sim = (framing.equals("hdlc") ? b.hdlcTcp() : b.wrapperTcp()).build().start();
        sim.device().freeze(true);
        sim.device().pin("L1 Voltage", new PointValue.Number(new BigDecimal("230.5")));
        sim.device().pin("Total absolute cumulative active energy register",
                new PointValue.Number(new BigDecimal("1456.78")));

        TcpConnectionBuilder builder = new TcpConnectionBuilder(InetAddress.getLoopbackAddress()).setPort(sim.port())
                .setClientId(16).setLogicalDeviceId(1);
        if (framing.equals("hdlc")) {
            builder.useHdlc();
        } else {
            builder.useWrapper();
        }
        try (DlmsConnection c = builder.build()) {
            AttributeAddress volts = new AttributeAddress(3, new ObisCode("1.0.32.7.0.255"), 2);
            AttributeAddress voltsScaler = new AttributeAddress(3, new ObisCode("1.0.32.7.0.255"), 3);
            AttributeAddress energy = new AttributeAddress(3, new ObisCode("1.0.15.8.0.255"), 2);
            AttributeAddress energyScaler = new AttributeAddress(3, new ObisCode("1.0.15.8.0.255"), 3);
            AttributeAddress serial = new AttributeAddress(1, new ObisCode("0.0.96.1.0.255"), 2);
            List<GetResult> r = c.get(List.of(volts, voltsScaler, energy, energyScaler, serial));
            r.forEach(g -> assertEquals(AccessResultCode.SUCCESS, g.getResultCode()));

            assertEquals(new BigDecimal("230.5"), scaled(r.get(0).getResultData(), r.get(1).getResultData()));
            assertEquals(35, unit(r.get(1).getResultData()), "unit enum 35 is V (Blue Book)");
            // The simulator's energy register counts Wh; |A| 1456.78 kWh.
            assertEquals(0, new BigDecimal("1456780").compareTo(scaled(r.get(2).getResultData(), r.get(3).getResultData())));
            assertEquals(30, unit(r.get(3).getResultData()), "unit enum 30 is Wh");
            byte[] serialNumber = r.get(4).getResultData().getValue();
            assertEquals("62124022443", new String(serialNumber, StandardCharsets.US_ASCII));
        }
    }

    /**
     * jDLMS reads a day of load profile 1 with a range_descriptor it encodes itself, and decodes the rows itself:
     * the same rows, times and raw energy values as our DlmsMeter decodes for the same range.
     */
    @ParameterizedTest
    @ValueSource(strings = {"wrapper", "hdlc"})
    void jdlmsReadsTheLoadProfileByRangeAsOurClientDoes(String framing) throws Exception {
        DlmsSimulator.Builder b = DlmsSimulator.builder().port(0)
                .clock(Clock.fixed(Instant.parse("2026-11-03T10:07:00Z"), ZoneOffset.UTC));
        sim = (framing.equals("hdlc") ? b.hdlcTcp() : b.wrapperTcp()).build().start();

        TcpConnectionBuilder builder = new TcpConnectionBuilder(InetAddress.getLoopbackAddress()).setPort(sim.port())
                .setClientId(16).setLogicalDeviceId(1);
        if (framing.equals("hdlc")) {
            builder.useHdlc();
        } else {
            builder.useWrapper();
        }
        // range_descriptor: restricting object the clock (8, 0.0.1.0.0.255, attribute 2, data index 0),
        // 2026-11-01 00:00:00 to 23:59:59 UTC (day of week 7 and 7, hundredths 0, deviation 0), all columns
        DataObject clock = DataObject.newStructureData(DataObject.newUInteger16Data(8),
                DataObject.newOctetStringData(new byte[] {0, 0, 1, 0, 0, (byte) 255}),
                DataObject.newInteger8Data((byte) 2), DataObject.newUInteger16Data(0));
        DataObject range = DataObject.newStructureData(clock,
                DataObject.newOctetStringData(new CosemDateTime(2026, 11, 1, 7, 0, 0, 0, 0, 0).encode()),
                DataObject.newOctetStringData(new CosemDateTime(2026, 11, 1, 7, 23, 59, 59, 0, 0).encode()),
                DataObject.newArrayData(List.of()));
        AttributeAddress buffer = new AttributeAddress(7, new ObisCode("1.0.99.1.0.255"), 2,
                new SelectiveAccessDescription(1, range));
        List<Instant> theirTimes = new ArrayList<>();
        List<List<Long>> theirEnergy = new ArrayList<>();
        try (DlmsConnection c = builder.build()) {
            GetResult r = c.get(buffer);
            assertEquals(AccessResultCode.SUCCESS, r.getResultCode());
            List<DataObject> rows = r.getResultData().getValue();
            for (DataObject row : rows) {
                List<DataObject> cells = row.getValue();
                assertEquals(8, cells.size());
                theirTimes.add(instant(CosemDateTime.decode(cells.get(0).getValue())));
                List<Long> energy = new ArrayList<>();
                for (int col = 2; col <= 5; col++) {
                    Number raw = cells.get(col).getValue();
                    energy.add(raw.longValue());
                }
                theirEnergy.add(energy);
            }
        }

        DlmsSettings.Builder ours = DlmsSettings.builder();
        ours = framing.equals("hdlc") ? ours.hdlcTcp("127.0.0.1", sim.port())
                : ours.wrapperTcp("127.0.0.1", sim.port());
        try (DlmsMeter m = new DlmsMeter(ours.build())) {
            LoadProfile lp = m.readProfile(io.edgegateway.dlms.ObisCode.parse("1.0.99.1.0.255"),
                    BufferSelection.ByRange.ofClock(
                            io.edgegateway.dlms.axdr.CosemDateTime.ofUtc(Instant.parse("2026-11-01T00:00:00Z")),
                            io.edgegateway.dlms.axdr.CosemDateTime.ofUtc(Instant.parse("2026-11-01T23:59:59Z"))));
            assertEquals(96, lp.rows().size());
            assertEquals(lp.rows().size(), theirTimes.size(), "same number of rows");
            for (int i = 0; i < lp.rows().size(); i++) {
                ProfileRow row = lp.rows().get(i);
                assertEquals(row.time(), theirTimes.get(i), "row " + i);
                for (int col = 2; col <= 5; col++) {
                    BigDecimal scaled = ((PointValue.Number) row.values().get(col)).value();
                    long raw = scaled.scaleByPowerOfTen(-lp.columns().get(col).scaler()).longValueExact();
                    assertEquals(theirEnergy.get(i).get(col - 2), raw, "row " + i + " column " + col);
                }
            }
        }
    }

    /**
     * The load limit both ways over the wrapper: our driver sets threshold_normal over LLS (client 32) and jDLMS,
     * as the public client, reads it and threshold_active as double-long-unsigned watts, and may not set it; jDLMS
     * over LLS sets it, encoding its own SET, and our driver reads what it wrote.
     */
    @org.junit.jupiter.api.Test
    void jdlmsReadsTheLimiterThresholdOurClientSetAndSetsOneOurClientReads() throws Exception {
        sim = DlmsSimulator.builder().port(0).wrapperTcp().build().start();
        sim.device().freeze(true);
        io.edgegateway.point.Point threshold = sim.device().profile().point("Limiter Threshold").orElseThrow();
        DlmsSettings lls = DlmsSettings.builder().wrapperTcp("127.0.0.1", sim.port()).client(32).lls("12345678")
                .build();
        try (DlmsMeter m = new DlmsMeter(lls)) {
            m.write(threshold, new PointValue.Number(new BigDecimal("12500")));
        }
        AttributeAddress normal = new AttributeAddress(71, new ObisCode("0.0.17.0.0.255"), 4);
        AttributeAddress active = new AttributeAddress(71, new ObisCode("0.0.17.0.0.255"), 3);
        TcpConnectionBuilder open = new TcpConnectionBuilder(InetAddress.getLoopbackAddress()).setPort(sim.port())
                .setClientId(16).setLogicalDeviceId(1).useWrapper();
        try (DlmsConnection c = open.build()) {
            List<GetResult> r = c.get(List.of(normal, active));
            for (GetResult g : r) {
                assertEquals(AccessResultCode.SUCCESS, g.getResultCode());
                assertEquals(DataObject.Type.DOUBLE_LONG_UNSIGNED, g.getResultData().getType());
                assertEquals(12500L, ((Number) g.getResultData().getValue()).longValue());
            }
            assertEquals(AccessResultCode.READ_WRITE_DENIED,
                    c.set(new SetParameter(normal, DataObject.newUInteger32Data(5000))));
        }
        SecuritySuite low = SecuritySuite.builder().setAuthenticationMechanism(AuthenticationMechanism.LOW)
                .setPassword("12345678".getBytes(StandardCharsets.US_ASCII)).build();
        try (DlmsConnection c = open.setClientId(32).setSecuritySuite(low).build()) {
            assertEquals(AccessResultCode.SUCCESS, c.set(new SetParameter(normal, DataObject.newUInteger32Data(7000))));
            assertEquals(AccessResultCode.OTHER_REASON,
                    c.set(new SetParameter(normal, DataObject.newUInteger32Data(100_001))), "above 100 kW");
        }
        try (DlmsMeter m = new DlmsMeter(DlmsSettings.builder().wrapperTcp("127.0.0.1", sim.port()).build())) {
            io.edgegateway.point.Point act = sim.device().profile().point("Limiter Threshold Active").orElseThrow();
            var read = m.read(List.of(threshold, act));
            assertEquals(new PointValue.Number(new BigDecimal("7000")), read.get(threshold));
            assertEquals(new PointValue.Number(new BigDecimal("7000")), read.get(act));
        }
    }

    /** A jDLMS date-time as an instant: local time plus its deviation (local = UTC - deviation). */
    private static Instant instant(CosemDateTime t) {
        LocalDateTime local = LocalDateTime.of(t.get(CosemDateFormat.Field.YEAR), t.get(CosemDateFormat.Field.MONTH),
                t.get(CosemDateFormat.Field.DAY_OF_MONTH), t.get(CosemDateFormat.Field.HOUR),
                t.get(CosemDateFormat.Field.MINUTE), t.get(CosemDateFormat.Field.SECOND));
        return local.toInstant(ZoneOffset.ofTotalSeconds(-t.get(CosemDateFormat.Field.DEVIATION) * 60));
    }

    private static BigDecimal scaled(DataObject value, DataObject scalerUnit) {
        List<DataObject> su = scalerUnit.getValue();
        Number scaler = su.get(0).getValue();
        Number raw = value.getValue();
        return new BigDecimal(raw.toString()).scaleByPowerOfTen(scaler.intValue());
    }

    private static int unit(DataObject scalerUnit) {
        List<DataObject> su = scalerUnit.getValue();
        Number unit = su.get(1).getValue();
        return unit.intValue();
    }
}
