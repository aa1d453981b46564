package io.edgegateway.scan;

import io.edgegateway.device.DeviceException;
import io.edgegateway.point.Point;
import io.edgegateway.point.PointValue;
import io.edgegateway.profile.DeviceProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Tests profiles against a device: reads each profile's evidence points and judges them. */
public final class ProfileFitter {

    private final Plausibility plausibility;

    public ProfileFitter(Plausibility plausibility) {
        this.plausibility = plausibility;
    }

    /**
     * Reads {@code profile}'s evidence points from {@code source}, stopping at the first that contradicts it (a
     * wrong map shows at once; reading on would only cost bus time). A failed read contradicts too: a device that
     * refuses or ignores a register does not have that map.
     *
     * @param stop checked between reads; when true, the fit ends with what it has
     */
    public ProfileFit fit(DeviceProfile profile, PointSource source, BooleanSupplier stop) {
        List<Point> points = plausibility.evidencePoints(profile);
        List<Evidence> evidence = new ArrayList<>();
        if (points.isEmpty()) {
            return new ProfileFit(profile, ProfileFit.Match.CONSISTENT, evidence);
        }
        try {
            source.prefetch(points);
        } catch (DeviceException e) {
            evidence.add(new Evidence(points.get(0), new Verdict.Contradicts(e.getMessage())));
            return new ProfileFit(profile, ProfileFit.Match.CONTRADICTED, evidence);
        }
        boolean supported = false;
        for (Point p : points) {
            if (stop.getAsBoolean()) {
                break;
            }
            Verdict v;
            try {
                PointValue value = source.read(p);
                v = plausibility.judge(p, value);
            } catch (DeviceException e) {
                v = new Verdict.Contradicts(p.name() + ": " + e.getMessage());
            }
            evidence.add(new Evidence(p, v));
            if (v instanceof Verdict.Contradicts) {
                return new ProfileFit(profile, ProfileFit.Match.CONTRADICTED, evidence);
            }
            supported |= v instanceof Verdict.Supports;
        }
        return new ProfileFit(profile, supported ? ProfileFit.Match.FITS : ProfileFit.Match.CONSISTENT, evidence);
    }

    /** Every profile, best first. */
    public List<ProfileFit> fitAll(List<DeviceProfile> profiles, PointSource source, BooleanSupplier stop) {
        List<ProfileFit> out = new ArrayList<>();
        for (DeviceProfile p : profiles) {
            if (stop.getAsBoolean()) {
                break;
            }
            out.add(fit(p, source, stop));
        }
        out.sort(ProfileFit.BEST_FIRST);
        return out;
    }
}
