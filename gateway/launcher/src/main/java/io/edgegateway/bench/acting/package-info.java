/**
 * {@code bin/bench acting}: what acting costs beside reading, each as a ratio against a baseline measured in the
 * same run: alert rules on the poll path ({@code AlertCost}) and a write's round trip ({@code WriteCost}).
 */
package io.edgegateway.bench.acting;
