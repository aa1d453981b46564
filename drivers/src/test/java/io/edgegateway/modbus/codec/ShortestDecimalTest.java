package io.edgegateway.modbus.codec;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The decoder's own parse of Float.toString must give exactly what new BigDecimal(String) gives. */
class ShortestDecimalTest {

    private static void same(float f) {
        String s = Float.toString(f);
        BigDecimal want = new BigDecimal(s);
        BigDecimal got = RegisterDecoder.shortestDecimal(s);
        assertEquals(want, got, s + ": value and scale"); // BigDecimal.equals compares the scale too
    }

    @Test
    void edgeCases() {
        for (float f : new float[] {0f, -0f, 1f, -1f, 230.5f, 229.1f, 0.001f, 1.0E-5f, -1.0E-5f, 1.23456E7f, 9999999f,
                1.0E7f, Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 49.99f, 1456.78f}) {
            same(f);
        }
    }

    @Test
    void randomBitPatterns() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            float f = Float.intBitsToFloat(r.nextInt());
            if (!Float.isNaN(f) && !Float.isInfinite(f)) {
                same(f);
            }
        }
    }
}
