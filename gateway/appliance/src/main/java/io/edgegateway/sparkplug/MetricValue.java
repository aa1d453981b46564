package io.edgegateway.sparkplug;

/** A metric's value, one case per wire field the gateway uses. */
public sealed interface MetricValue {

    /** No value ({@code is_null}): a point the meter answered with something that is not a value. */
    record Null() implements MetricValue {
    }

    record Int(long value) implements MetricValue {
    }

    record Real(double value) implements MetricValue {
    }

    record Bool(boolean value) implements MetricValue {
    }

    record Text(String value) implements MetricValue {
    }
}
