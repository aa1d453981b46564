/**
 * Grouping a device's points into few reads ({@link io.edgegateway.modbus.plan.ReadPlanner}): a sweep per table
 * that joins points across small gaps within the device's request limits. No I/O.
 */
package io.edgegateway.modbus.plan;
