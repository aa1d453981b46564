/**
 * Simulated HES dashboards: thousands of SSE subscribers on virtual threads, each a plain socket speaking
 * HTTP/1.1, to load a gateway and measure what it delivers (events per second, latency from poll to receipt).
 */
package io.edgegateway.sim.swarm;
