/**
 * A simulated DLMS/COSEM meter on the drivers' own codecs: the IEC 62056-47 wrapper over TCP, HDLC over TCP, or
 * HDLC on a serial port or pty (with an optional IEC 62056-21 mode E sign-on). It serves the objects of a DLMS
 * profile (dlms-standard by default) with the values of a {@link io.edgegateway.sim.model.SimulatedDevice}, plus
 * clock, serial number and Association LN, and a load profile, daily values and an event log with months of history
 * (Profile Generic, read whole or by range or entry); accepts a public client, an LLS client and an HLS-GMAC client
 * (the latter two may set the clock); and injects faults on demand ({@link io.edgegateway.sim.dlms.DlmsFaults}).
 * {@link io.edgegateway.sim.dlms.DlmsSimulator}
 * is the embeddable API; {@code bin/simulator dlms-tcp} and {@code dlms-serial} are the command lines.
 * {@link io.edgegateway.sim.dlms.PushSender} is a meter's Push setup: Data-Notifications sent to a head-end.
 */
package io.edgegateway.sim.dlms;
