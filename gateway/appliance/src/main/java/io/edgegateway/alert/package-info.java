/**
 * Threshold and status alerts (docs/api.md, "Alerts"): {@code AlertRule}s from the config and made at run time,
 * checked against every poll and status report by {@code AlertWatch}, each occurrence raised once, acknowledged and
 * cleared once, published through the hub (so it streams, is stored and goes over the uplink like any event).
 */
package io.edgegateway.alert;
