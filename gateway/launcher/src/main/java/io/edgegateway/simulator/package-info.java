/**
 * {@code bin/simulator}: the commands that start the simulators of the {@code simulators} library on real ports and
 * serial lines ({@code modbus-tcp}, {@code modbus-rtu}, {@code dlms-tcp}, {@code dlms-serial}) and the dashboard
 * swarm ({@code dashboards}), with their options, faults and start-up lines.
 */
package io.edgegateway.simulator;
