/**
 * Readings: the values of one poll of one meter, in the documented JSON format the HES dashboards parse
 * ({@link io.edgegateway.reading.ReadingJson}), plus the meter status model
 * ({@link io.edgegateway.reading.MeterStatus}, {@link io.edgegateway.reading.StatusReport}).
 */
package io.edgegateway.reading;
