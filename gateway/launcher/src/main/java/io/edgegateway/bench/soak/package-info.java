/**
 * {@code bin/bench soak}: hostile devices on the same lines as healthy meters, churning and slow SSE clients, and a
 * gateway killed with SIGKILL and restarted every few minutes, all at once; prints what held and what did not.
 */
package io.edgegateway.bench.soak;
