package io.edgegateway.sparkplug;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Encodes and decodes {@link SparkplugPayload}s with the field numbers of the specification's
 * {@code sparkplug_b.proto} (Payload: timestamp 1, metrics 2, seq 3; Metric: name 1, timestamp 3, datatype 4,
 * is_historical 5, is_null 7, properties 9, long_value 11, double_value 13, boolean_value 14, string_value 15;
 * PropertySet: keys 1, values 2; PropertyValue: type 1, string_value 8). Tested against Eclipse Tahu's generated
 * classes, an independent implementation.
 */
public final class PayloadCodec {

    private PayloadCodec() {
    }

    public static byte[] encode(SparkplugPayload p) {
        ProtoWriter w = new ProtoWriter();
        w.varint(1, p.timestamp());
        for (Metric m : p.metrics()) {
            w.message(2, metric(m));
        }
        p.seq().ifPresent(s -> w.varint(3, s));
        return w.toByteArray();
    }

    private static ProtoWriter metric(Metric m) {
        ProtoWriter w = new ProtoWriter();
        w.string(1, m.name());
        if (m.timestamp() != 0) {
            w.varint(3, m.timestamp());
        }
        w.varint(4, m.type().code());
        if (m.historical()) {
            w.bool(5, true);
        }
        if (m.value() instanceof MetricValue.Null) {
            w.bool(7, true);
        }
        if (!m.properties().isEmpty()) {
            ProtoWriter set = new ProtoWriter();
            m.properties().keySet().forEach(k -> set.string(1, k));
            for (String v : m.properties().values()) {
                ProtoWriter pv = new ProtoWriter();
                pv.varint(1, DataType.STRING.code());
                pv.string(8, v);
                set.message(2, pv);
            }
            w.message(9, set);
        }
        switch (m.value()) {
            case MetricValue.Null n -> {
            }
            case MetricValue.Int i -> w.varint(m.type().wide() ? 11 : 10, m.type().wide() ? i.value()
                    : i.value() & 0xFFFF_FFFFL); // the 32-bit and narrower types go in int_value as uint32
            case MetricValue.Real r -> w.fixed64(13, Double.doubleToRawLongBits(r.value()));
            case MetricValue.Bool b -> w.bool(14, b.value());
            case MetricValue.Text t -> w.string(15, t.value());
        }
        return w;
    }

    /**
     * Reads a payload (an NCMD, in the gateway). Metrics of types the gateway does not use are kept with their
     * name and a null value.
     *
     * @throws IllegalArgumentException for bytes that are not a protobuf payload
     */
    public static SparkplugPayload decode(byte[] bytes) {
        ProtoReader r = new ProtoReader(bytes);
        long timestamp = 0;
        OptionalInt seq = OptionalInt.empty();
        List<Metric> metrics = new ArrayList<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> timestamp = r.varint();
                case 2 -> metrics.add(metric(r.message()));
                case 3 -> seq = OptionalInt.of((int) r.varint());
                default -> r.skip();
            }
        }
        return new SparkplugPayload(timestamp, seq, metrics);
    }

    private static Metric metric(ProtoReader r) {
        String name = "";
        long timestamp = 0;
        int type = 0;
        boolean historical = false;
        MetricValue value = new MetricValue.Null();
        Map<String, String> properties = new LinkedHashMap<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> name = r.string();
                case 3 -> timestamp = r.varint();
                case 4 -> type = (int) r.varint();
                case 5 -> historical = r.varint() != 0;
                case 9 -> properties.putAll(properties(r.message()));
                case 10, 11 -> value = new MetricValue.Int(r.varint());
                case 12 -> value = new MetricValue.Real(Float.intBitsToFloat(r.fixed32()));
                case 13 -> value = new MetricValue.Real(Double.longBitsToDouble(r.fixed64()));
                case 14 -> value = new MetricValue.Bool(r.varint() != 0);
                case 15 -> value = new MetricValue.Text(r.string());
                default -> r.skip();
            }
        }
        DataType t = DataType.of(type);
        if (t == null) {
            // No datatype (0, as some hosts send an NCMD) or one that is not a scalar: take the value's own kind.
            t = switch (value) {
                case MetricValue.Bool b -> DataType.BOOLEAN;
                case MetricValue.Int i -> DataType.INT64;
                case MetricValue.Real x -> DataType.DOUBLE;
                case MetricValue.Text x -> DataType.STRING;
                case MetricValue.Null n -> DataType.STRING;
            };
            if (type != 0) {
                value = new MetricValue.Null(); // a DataSet, a Template...: not read
            }
        }
        return new Metric(name, timestamp, t, value, historical, properties);
    }

    private static Map<String, String> properties(ProtoReader r) {
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> keys.add(r.string());
                case 2 -> {
                    ProtoReader pv = r.message();
                    String v = "";
                    while (pv.next()) {
                        if (pv.field() == 8) {
                            v = pv.string();
                        } else {
                            pv.skip();
                        }
                    }
                    values.add(v);
                }
                default -> r.skip();
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < Math.min(keys.size(), values.size()); i++) {
            out.put(keys.get(i), values.get(i));
        }
        return out;
    }
}
