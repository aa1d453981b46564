package io.edgegateway.wot;

import io.edgegateway.point.Point;

import java.text.Normalizer;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The property keys of one thing: a slug of each point's display name ({@code L1 Voltage} → {@code l1-voltage}),
 * in profile order. A key taken by an earlier point gets {@code -2}, {@code -3}...: keys are unique within the
 * thing and stay the same as long as the profile's points do, since they appear in URLs.
 */
public final class PropertyKeys {

    private final Map<String, Point> byKey;
    private final Map<String, String> keyByName;

    public PropertyKeys(List<Point> points) {
        Map<String, Point> keys = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (Point p : points) {
            String base = slug(p.name());
            String key = base;
            for (int n = 2; !taken.add(key); n++) {
                key = base + "-" + n;
            }
            keys.put(key, p);
            names.put(p.name(), key);
        }
        this.byKey = Collections.unmodifiableMap(keys);
        this.keyByName = Collections.unmodifiableMap(names);
    }

    /**
     * Lower case ASCII letters and digits, runs of anything else as one {@code -}, none at either end; accents
     * dropped ({@code é} → {@code e}); "point" if nothing is left.
     */
    public static String slug(String displayName) {
        String plain = Normalizer.normalize(displayName, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String slug = plain.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return slug.isEmpty() ? "point" : slug;
    }

    /** Keys to points, in profile order. */
    public Map<String, Point> points() {
        return byKey;
    }

    public Optional<Point> point(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /** The key of a point by its display name. */
    public String key(String pointName) {
        return keyByName.get(pointName);
    }
}
