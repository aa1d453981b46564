package io.edgegateway.scan;

import java.util.List;

/**
 * What a scan found at one unit id.
 *
 * @param fits every profile tried, best first (empty when nothing answered)
 */
public record UnitReport(int unit, Presence presence, List<ProfileFit> fits, int requests) {

    public UnitReport {
        fits = List.copyOf(fits);
    }

    public boolean present() {
        return !(presence instanceof Presence.Silent);
    }

    /** The profiles that fit with the most support: usually one; several when they cannot be told apart. */
    public List<ProfileFit> best() {
        if (fits.isEmpty() || fits.get(0).match() != ProfileFit.Match.FITS) {
            return List.of();
        }
        long top = fits.get(0).support();
        return fits.stream().filter(f -> f.match() == ProfileFit.Match.FITS && f.support() == top).toList();
    }

    /** Profiles that fit too, with less support (an SDM120's points are all in an SDM630). */
    public List<ProfileFit> alsoFitting() {
        List<ProfileFit> best = best();
        return fits.stream().filter(f -> f.match() == ProfileFit.Match.FITS && !best.contains(f)).toList();
    }
}
