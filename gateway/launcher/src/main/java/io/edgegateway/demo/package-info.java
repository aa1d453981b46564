/**
 * The out-of-the-box demo: simulated meters and a PLC on real local ports, and a gateway configured to poll them
 * ({@link io.edgegateway.demo.DemoRig}).
 */
package io.edgegateway.demo;
