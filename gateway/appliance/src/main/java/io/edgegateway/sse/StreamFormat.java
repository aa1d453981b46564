package io.edgegateway.sse;

import java.util.Set;

/**
 * How one client wants its readings written: which points, plain or typed JSON, whole rows or changed keys only.
 *
 * @param points      point names to include; empty for all
 * @param typed       {@code ?format=typed}: values as numbers with their units
 * @param changesOnly {@code ?changes=only}: after the first reading of each meter, only the keys that changed
 */
record StreamFormat(Set<String> points, boolean typed, boolean changesOnly) {

    StreamFormat {
        points = Set.copyOf(points);
    }
}
