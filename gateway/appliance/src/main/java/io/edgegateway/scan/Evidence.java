package io.edgegateway.scan;

import io.edgegateway.point.Point;

/** One point read while testing a profile, and what its value says. */
public record Evidence(Point point, Verdict verdict) {

    /** "L1 Voltage 230.1 V", or the reason the value does not fit. */
    public String describe() {
        return switch (verdict) {
            case Verdict.Supports s -> s.shown();
            case Verdict.Consistent c -> c.shown();
            case Verdict.Contradicts c -> c.reason();
        };
    }
}
