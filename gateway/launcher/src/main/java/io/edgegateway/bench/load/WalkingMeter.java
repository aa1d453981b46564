package io.edgegateway.bench.load;

import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.reading.Reading;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** A meter whose values move as a real one's do: voltages and currents jitter, energy creeps, some stay. */
public final class WalkingMeter {
    private final String meterNo;
    /** Values in units of 0.0001, as a decoder yields them with four decimals. */
    private final long[] values;
    private final List<Point> points;
    private final SplittableRandom random;
    /** The values last counted as changed, by the points' own deadband rule (as the hub counts them). */
    private final PointValue[] reported;

    public WalkingMeter(String meterNo, List<Point> points, long seed) {
        this.meterNo = meterNo;
        this.points = points;
        this.random = new SplittableRandom(seed);
        this.values = new long[points.size()];
        this.reported = new PointValue[points.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1_000_000 + random.nextLong(2_000_000);
        }
    }

    public Reading next(Instant at) {
        Map<Point, PointValue> v = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            String q = points.get(i).quantity();
            if (q.startsWith("energy")) {
                values[i] += random.nextInt(200);                 // a counter, rising slowly
            } else if (q.startsWith("frequency") || q.startsWith("pf")) {
                values[i] += random.nextInt(3) == 0 ? (random.nextBoolean() ? 100 : -100) : 0;
            } else {
                values[i] += random.nextInt(8001) - 4000;         // voltages, currents, powers jitter
            }
            v.put(points.get(i), new PointValue.Number(BigDecimal.valueOf(values[i], 4)));
        }
        return Reading.of(meterNo, at, v);
    }

    /** The names of the points that moved beyond their deadband since they were last counted. */
    public Set<String> changed(Reading r) {
        Set<String> out = new HashSet<>();
        int i = 0;
        for (Reading.Entry e : r.values().values()) {
            if (e.point().changed(reported[i], e.value())) {
                out.add(e.point().name());
                reported[i] = e.value();
            }
            i++;
        }
        return out;
    }
}
