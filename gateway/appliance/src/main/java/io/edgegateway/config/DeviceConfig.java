package io.edgegateway.config;

import io.edgegateway.dlms.client.DlmsSettings;
import io.edgegateway.profile.RequestLimits;
import io.edgegateway.point.Point;
import io.edgegateway.poll.PollGroup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One device to poll.
 *
 * @param meterNo  the id dashboards know it by; unique; {@link #AUTO} until read from a DLMS meter
 * @param bus      name of its bus
 * @param unitId   Modbus unit id (slave address); for DLMS the server logical address
 * @param profile  profile name, or "" for inline points
 * @param points   the points to poll (the profile's, or inline ones)
 * @param interval default poll period
 * @param groups   faster or slower groups of points
 * @param limits   request limits for Modbus (profile's, overridden by the device's)
 * @param dlms     DLMS association settings (bus transport plus the device's dlms block); null for Modbus
 * @param loadProfiles the DLMS Profile Generic objects read for interval data and meter events
 * @param clock    how the DLMS meter's clock is checked (and set); null when it is not watched
 */
public record DeviceConfig(String meterNo, String bus, int unitId, String profile, List<Point> points,
                           Duration interval, List<GroupConfig> groups, RequestLimits limits, DlmsSettings dlms,
                           List<LoadProfileConfig> loadProfiles, ClockPolicy clock) {

    /** {@code meter-no: auto}: a DLMS meter's number is read from its serial number object at start. */
    public static final String AUTO = "auto";
    /** Meter numbers appear in URLs. */
    public static final String METER_NO_PATTERN = "[A-Za-z0-9._:-]+";

    public DeviceConfig {
        points = List.copyOf(points);
        groups = List.copyOf(groups);
        loadProfiles = List.copyOf(loadProfiles);
    }

    public DeviceConfig withMeterNo(String number) {
        return new DeviceConfig(number, bus, unitId, profile, points, interval, groups, limits, dlms, loadProfiles,
                clock);
    }

    /**
     * The device's points split into poll groups: each configured group takes the points named in it or tagged
     * with its name; the rest are polled at the device's own interval.
     */
    public List<PollGroup> pollGroups() {
        Map<GroupConfig, List<Point>> byGroup = new LinkedHashMap<>();
        List<Point> rest = new ArrayList<>();
        for (Point p : points) {
            GroupConfig home = groups.stream()
                    .filter(g -> g.points().contains(p.name()) || (!g.name().isEmpty() && g.name().equals(p.group())))
                    .findFirst().orElse(null);
            if (home == null) {
                rest.add(p);
            } else {
                byGroup.computeIfAbsent(home, g -> new ArrayList<>()).add(p);
            }
        }
        List<PollGroup> out = new ArrayList<>();
        if (!rest.isEmpty()) {
            out.add(new PollGroup("", interval, rest));
        }
        byGroup.forEach((g, ps) -> out.add(new PollGroup(g.name(), g.interval(), ps)));
        return out;
    }
}
