package io.edgegateway.scan;

import io.edgegateway.profile.DeviceProfile;

import java.util.Comparator;
import java.util.List;

/**
 * How well one profile's register map explains what a device answered.
 *
 * @param evidence the points read, in the order read (a misfit stops the reading, so it is last)
 */
public record ProfileFit(DeviceProfile profile, Match match, List<Evidence> evidence) {

    /** Best first: fits before consistent before contradicted, then by supporting values. */
    public static final Comparator<ProfileFit> BEST_FIRST = Comparator.comparing(ProfileFit::match)
            .thenComparing(Comparator.comparingLong(ProfileFit::support).reversed())
            .thenComparing(f -> f.profile().name());

    public enum Match {
        /** Nothing contradicts it and at least one telling value (a frequency, a voltage, a name) supports it. */
        FITS,
        /** Nothing contradicts it, nothing telling supports it (a device answering zeros everywhere). */
        CONSISTENT,
        /** A value is implausible for it, or the device refused or ignored one of its registers. */
        CONTRADICTED
    }

    public ProfileFit {
        evidence = List.copyOf(evidence);
    }

    /** Values that speak for this profile. */
    public long support() {
        return evidence.stream().filter(e -> e.verdict() instanceof Verdict.Supports).count();
    }

    /** Why it does not fit: the contradicting value, or "" when it fits. */
    public String reason() {
        return evidence.stream().filter(e -> e.verdict() instanceof Verdict.Contradicts).map(Evidence::describe)
                .findFirst().orElse(match == Match.CONSISTENT ? "no telling value" : "");
    }
}
