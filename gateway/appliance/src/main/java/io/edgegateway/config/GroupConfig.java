package io.edgegateway.config;

import java.time.Duration;
import java.util.List;

/**
 * A poll group of a device: points polled at their own rate.
 *
 * @param name     matches points whose profile {@code group} tag has this name ("" if none)
 * @param interval poll period of the group
 * @param points   further points named explicitly
 */
public record GroupConfig(String name, Duration interval, List<String> points) {
}
