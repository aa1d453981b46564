package io.edgegateway.sparkplug;

import org.eclipse.tahu.protobuf.SparkplugBProto;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our Sparkplug B codec against a byte vector worked by hand from the specification's {@code sparkplug_b.proto},
 * and against Eclipse Tahu's generated protobuf classes, an independent implementation, in both directions.
 */
class PayloadCodecTest {

    @Test
    void anNdeathIsTheBytesTheProtoFileGives() {
        // Payload{timestamp: 1, metrics: [{name: "bdSeq", datatype: UInt64 (8), long_value: 3}]}, no seq:
        // 08 01 | 12 0b [0a 05 "bdSeq" | 20 08 | 58 03]
        SparkplugPayload p = new SparkplugPayload(1, OptionalInt.empty(),
                List.of(Metric.of("bdSeq", 0, DataType.UINT64, new MetricValue.Int(3))));
        assertArrayEquals(HexFormat.of().parseHex("0801120b0a0562645365712008" + "5803"), PayloadCodec.encode(p));
    }

    @Test
    void tahuReadsWhatWeWrite() throws Exception {
        SparkplugPayload p = new SparkplugPayload(1_796_000_000_123L, OptionalInt.of(255), List.of(
                new Metric("L1 Voltage", 1_796_000_000_100L, DataType.DOUBLE, new MetricValue.Real(230.5), true,
                        Map.of("engUnit", "V")),
                Metric.of("Relay", 5, DataType.BOOLEAN, new MetricValue.Bool(true)),
                Metric.of("Serial", 6, DataType.STRING, new MetricValue.Text("SDM630 ü")),
                Metric.of("Counter", 7, DataType.INT64, new MetricValue.Int(-2)),
                Metric.of("Register", 9, DataType.UINT16, new MetricValue.Int(40_001)),
                Metric.of("Broken", 8, DataType.DOUBLE, new MetricValue.Null())));

        SparkplugBProto.Payload t = SparkplugBProto.Payload.parseFrom(PayloadCodec.encode(p));

        assertEquals(1_796_000_000_123L, t.getTimestamp());
        assertTrue(t.hasSeq());
        assertEquals(255, t.getSeq());
        assertEquals(6, t.getMetricsCount());
        SparkplugBProto.Payload.Metric v = t.getMetrics(0);
        assertEquals("L1 Voltage", v.getName());
        assertEquals(1_796_000_000_100L, v.getTimestamp());
        assertEquals(SparkplugBProto.DataType.Double.getNumber(), v.getDatatype());
        assertEquals(230.5, v.getDoubleValue());
        assertTrue(v.getIsHistorical());
        assertFalse(v.getIsNull());
        assertEquals("engUnit", v.getProperties().getKeys(0));
        assertEquals(SparkplugBProto.DataType.String.getNumber(), v.getProperties().getValues(0).getType());
        assertEquals("V", v.getProperties().getValues(0).getStringValue());
        assertTrue(t.getMetrics(1).getBooleanValue());
        assertEquals(SparkplugBProto.DataType.Boolean.getNumber(), t.getMetrics(1).getDatatype());
        assertEquals("SDM630 ü", t.getMetrics(2).getStringValue());
        assertEquals(-2L, t.getMetrics(3).getLongValue());
        assertEquals(SparkplugBProto.DataType.Int64.getNumber(), t.getMetrics(3).getDatatype());
        assertEquals(40_001, t.getMetrics(4).getIntValue(), "16-bit and 32-bit types go in int_value");
        assertEquals(SparkplugBProto.DataType.UInt16.getNumber(), t.getMetrics(4).getDatatype());
        assertTrue(t.getMetrics(5).getIsNull());
        assertFalse(t.getMetrics(5).hasDoubleValue());
    }

    @Test
    void weReadWhatTahuWrites() {
        // An NCMD as a host application sends it: Node Control/Rebirth = true.
        byte[] ncmd = SparkplugBProto.Payload.newBuilder().setTimestamp(42)
                .addMetrics(SparkplugBProto.Payload.Metric.newBuilder().setName("Node Control/Rebirth")
                        .setDatatype(SparkplugBProto.DataType.Boolean.getNumber()).setBooleanValue(true))
                .addMetrics(SparkplugBProto.Payload.Metric.newBuilder().setName("Gain")
                        .setDatatype(SparkplugBProto.DataType.Float.getNumber()).setFloatValue(1.5f))
                .addMetrics(SparkplugBProto.Payload.Metric.newBuilder().setName("Table")
                        .setDatatype(SparkplugBProto.DataType.DataSet.getNumber())
                        .setDatasetValue(SparkplugBProto.Payload.DataSet.newBuilder().setNumOfColumns(0)))
                .build().toByteArray();

        SparkplugPayload p = PayloadCodec.decode(ncmd);

        assertEquals(42, p.timestamp());
        assertTrue(p.seq().isEmpty());
        assertEquals(new MetricValue.Bool(true), p.metric("Node Control/Rebirth").orElseThrow().value());
        assertEquals(new MetricValue.Real(1.5), p.metric("Gain").orElseThrow().value());
        assertEquals(new MetricValue.Null(), p.metric("Table").orElseThrow().value(), "a type we do not read is null");
        // Some hosts send the rebirth without a datatype.
        byte[] bare = SparkplugBProto.Payload.newBuilder().setTimestamp(1).addMetrics(SparkplugBProto.Payload.Metric
                .newBuilder().setName("Node Control/Rebirth").setBooleanValue(true)).build().toByteArray();
        assertEquals(new MetricValue.Bool(true), PayloadCodec.decode(bare).metric("Node Control/Rebirth").orElseThrow().value());
    }

    @Test
    void bytesThatAreNotAPayloadAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PayloadCodec.decode(new byte[] {0x12, 0x7F, 0x01}));
        assertThrows(IllegalArgumentException.class, () -> PayloadCodec.decode(new byte[] {(byte) 0x80}));
    }
}
