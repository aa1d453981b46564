package io.edgegateway.cli;

import io.edgegateway.profile.ConfigNode;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

/** Option values that are more than a number: durations ("500ms", "2s", as in the config file), names, enums. */
final class OptionText {

    private OptionText() {
    }

    /** {@code parser} applied to an option's value; its complaint is prefixed with the option, e.g. "--parity: ...". */
    static <T> T parse(String option, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    /**
     * @param bareMillis whether a number without unit means milliseconds (timeouts) rather than seconds (the
     *                   config file's rule, kept for intervals)
     */
    static Duration duration(String option, String text, boolean bareMillis) {
        String t = text.trim();
        if (bareMillis && !t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            t = t + "ms";
        }
        try {
            Duration d = ConfigNode.parseDuration(t);
            if (d.isNegative()) {
                throw new NumberFormatException();
            }
            return d;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + " must be a duration such as 500ms or 2s, got '" + text + "'");
        }
    }

    /** Option names of several groups together (a command's own and those of its target). */
    @SafeVarargs
    static Set<String> union(Set<String>... groups) {
        Set<String> s = new HashSet<>();
        for (Set<String> g : groups) {
            s.addAll(g);
        }
        return Set.copyOf(s);
    }

    /** "200 ms", "2 s", "1.5 s". */
    static String show(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
