package io.edgegateway.wot;

import io.edgegateway.point.Point;

import java.util.Optional;

/**
 * Which points can be written, and within what limits: the one place the TDs and {@code writeproperty} learn it.
 * Writability is a profile's to say (its {@code writable}, {@code min}, {@code max} and {@code step} keys); until
 * points carry it, every point is read-only ({@link #NONE}).
 */
@FunctionalInterface
public interface Writability {

    /** Nothing is writable. */
    Writability NONE = point -> Optional.empty();

    /** The point's limits if it can be written; empty if it is read-only. */
    Optional<WriteLimits> of(Point point);
}
