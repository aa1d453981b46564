package io.edgegateway.poll;

import io.edgegateway.point.Point;

import java.time.Duration;
import java.util.List;

/**
 * Points of one device polled together at one rate.
 *
 * @param name     group name ("" for the device's default interval)
 * @param interval poll period
 * @param points   the points, each in exactly one group of the device
 */
public record PollGroup(String name, Duration interval, List<Point> points) {

    public PollGroup {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive");
        }
        points = List.copyOf(points);
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a poll group needs points");
        }
    }
}
