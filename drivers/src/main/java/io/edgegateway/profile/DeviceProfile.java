package io.edgegateway.profile;

import io.edgegateway.profile.RequestLimits;
import io.edgegateway.point.Point;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A meter or PLC model: its points and how it wants to be read.
 *
 * @param name        short id used in configs ({@code sdm630})
 * @param description one line for listings
 * @param protocol    how its points are addressed
 * @param limits      request size and gap limits (Modbus)
 * @param points      every point, in file order; names are unique
 * @param source      where it was loaded from, for messages
 * @param profileGenerics the meter's Profile Generic objects (DLMS load profiles and event logs) a device of this
 *                    profile may read with {@code load-profiles}; empty when the profile names none
 */
public record DeviceProfile(String name, String description, Protocol protocol, RequestLimits limits,
                            List<Point> points, String source, List<ProfileGenericInfo> profileGenerics) {

    /**
     * A Profile Generic object a meter model has.
     *
     * @param obis   its logical name, {@code 1.0.99.1.0.255}
     * @param name   what field engineers call it ("load profile 1 (15 min)")
     * @param period its capture period; zero for an event log
     */
    public record ProfileGenericInfo(String obis, String name, java.time.Duration period) {
    }

    public DeviceProfile(String name, String description, Protocol protocol, RequestLimits limits, List<Point> points,
                         String source) {
        this(name, description, protocol, limits, points, source, List.of());
    }

    public DeviceProfile {
        profileGenerics = List.copyOf(profileGenerics);
        points = List.copyOf(points);
        Set<String> names = new HashSet<>();
        for (Point p : points) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("point name '" + p.name() + "' appears twice");
            }
        }
    }

    public Optional<Point> point(String pointName) {
        return points.stream().filter(p -> p.name().equals(pointName)).findFirst();
    }

    /** The first point tagged with {@code quantity}, e.g. {@code frequency}. */
    public Optional<Point> byQuantity(String quantity) {
        return points.stream().filter(p -> p.quantity().equals(quantity)).findFirst();
    }
}
