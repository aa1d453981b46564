/**
 * Polling: one {@link io.edgegateway.poll.BusScheduler} per bus (an RS-485 line or a TCP endpoint) owns that
 * line and polls its devices' point groups at fixed rates on one thread of its own. Buses run in parallel, so a
 * dead device never delays another bus; on its own line a dead device backs off exponentially and its retries get a
 * bounded share of the line ({@link io.edgegateway.poll.RetryBudget}). Results go to the event hub as readings
 * and status transitions.
 */
package io.edgegateway.poll;
