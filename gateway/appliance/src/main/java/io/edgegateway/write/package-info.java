/**
 * Writes to devices: a point's new value checked against its profile (writable, range, step, type), carried out
 * by the device's bus scheduler between polls, read back, and recorded in the audit trail.
 */
package io.edgegateway.write;
