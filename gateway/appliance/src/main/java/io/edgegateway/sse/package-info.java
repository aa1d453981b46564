/**
 * The Server-Sent Events endpoints of docs/api.md: {@code /api/sse/meters}, {@code /api/sse/meter-status/{meterNo}},
 * {@code /api/sse/real-time-data/{meterNo}}, plus {@code /api/sse/clients} and {@code /api/sse/send}.
 *
 * <p>Each stream runs on its own virtual thread and writes pre-encoded frames to the response's output stream;
 * each client has a bounded queue, so a slow or stalled client is cut off without slowing the others.
 */
package io.edgegateway.sse;
