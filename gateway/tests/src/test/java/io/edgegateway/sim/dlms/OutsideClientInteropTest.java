package io.edgegateway.sim.dlms;

import io.edgegateway.point.PointValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.GetResult;
import org.openmuc.jdlms.ObisCode;
import org.openmuc.jdlms.TcpConnectionBuilder;
import org.openmuc.jdlms.datatypes.DataObject;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A DLMS client from outside the project (OpenMUC jDLMS) reads the simulator as it would a meter: public client
 * 16, server (logical device) 1, over the IEC 62056-47 wrapper and over HDLC on TCP. An encoding bug shared by our
 * client and our simulator cannot hide from a second implementation.
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
