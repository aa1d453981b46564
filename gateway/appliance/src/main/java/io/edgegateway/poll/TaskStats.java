package io.edgegateway.poll;

import java.time.Instant;
import java.util.Map;

/**
 * A line task's state at one moment.
 *
 * @param lastRun   when it last ran to the end, null if never
 * @param nextRun   when it runs next (after a failure: the retry)
 * @param lastError the last failure, null when the last run succeeded
 * @param details   the task's own figures ({@link LineTask#details()})
 */
public record TaskStats(String name, Instant lastRun, Instant nextRun, String lastError, long runs, long failures,
                        Map<String, Object> details) {
}
