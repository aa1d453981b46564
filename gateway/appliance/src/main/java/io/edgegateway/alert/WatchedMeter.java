package io.edgegateway.alert;

import io.edgegateway.point.Point;

import java.util.List;
import java.util.Optional;

/**
 * A meter as rules see it: its number, its profile ("" for inline points) and its points.
 */
public record WatchedMeter(String meterNo, String profile, List<Point> points) {

    public WatchedMeter {
        points = List.copyOf(points);
    }

    public Optional<Point> point(String name) {
        return points.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
