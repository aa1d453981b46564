package io.edgegateway.profile;

import io.edgegateway.profile.RequestLimits;
import io.edgegateway.point.Point;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a profile file:
 *
 * <pre>
 * name: sdm630
 * description: Eastron SDM630 three-phase meter
 * protocol: modbus            # or dlms
 * limits: {max-registers: 80, max-gap: 10}
 * defaults: {table: input, type: float32, order: ABCD, decimals: 2}
 * points:
 *   - {name: L1 Voltage, address: 0x0000, unit: V, decimals: 1, quantity: voltage.l1}
 * </pre>
 *
 * See {@link PointParser} for the keys of a point.
 */
public final class ProfileParser {

    private static final Set<String> KEYS = Set.of("name", "description", "protocol", "limits", "defaults", "points",
            "profile-generics");
    private static final Set<String> PROFILE_GENERIC_KEYS = Set.of("obis", "name", "period");
    private static final Set<String> LIMIT_KEYS = Set.of("max-registers", "max-bits", "max-gap", "max-bit-gap");

    private ProfileParser() {
    }

    public static DeviceProfile parse(ConfigNode root) {
        root.allowOnly(KEYS);
        String name = root.string("name");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw root.get("name").error("use letters, digits, '-', '_' and '.' only, got '" + name + "'");
        }
        Protocol protocol = root.convert("protocol", root.string("protocol", "modbus"), "a protocol", Protocol::parse);
        RequestLimits limits = limits(root.get("limits"), RequestLimits.DEFAULT);
        ConfigNode defaults = root.get("defaults").allowOnly(PointParser.DEFAULT_KEYS);
        List<ConfigNode> nodes = root.get("points").list();
        if (nodes.isEmpty()) {
            throw root.get("points").error("a profile needs at least one point");
        }
        List<Point> points = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigNode n : nodes) {
            Point p = PointParser.parse(n, defaults, protocol);
            if (!names.add(p.name())) {
                throw n.get("name").error("point name '" + p.name() + "' appears twice");
            }
            points.add(p);
        }
        List<DeviceProfile.ProfileGenericInfo> generics = new ArrayList<>();
        for (ConfigNode g : root.get("profile-generics").list()) {
            g.allowOnly(PROFILE_GENERIC_KEYS);
            if (protocol != Protocol.DLMS) {
                throw g.error("profile-generics are DLMS objects; this profile is " + protocol.configName());
            }
            String obis = g.string("obis");
            if (!obis.matches("\\d{1,3}(\\.\\d{1,3}){5}")) {
                throw g.get("obis").error("an OBIS code is six numbers, e.g. 1.0.99.1.0.255, got '" + obis + "'");
            }
            generics.add(new DeviceProfile.ProfileGenericInfo(obis, g.string("name", obis),
                    g.duration("period", java.time.Duration.ZERO)));
        }
        return new DeviceProfile(name, root.string("description", name), protocol, limits, points, root.source(),
                generics);
    }

    /** Reads a {@code limits} node over {@code base}; absent keys keep the base value. */
    public static RequestLimits limits(ConfigNode node, RequestLimits base) {
        node.allowOnly(LIMIT_KEYS);
        return new RequestLimits(
                node.integer("max-registers", base.maxRegisters(), 1, 125),
                node.integer("max-bits", base.maxBits(), 1, 2000),
                node.integer("max-gap", base.maxGap(), 0, 124),
                node.integer("max-bit-gap", base.maxBitGap(), 0, 1999));
    }
}
