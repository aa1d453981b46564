/**
 * {@code bin/bench load-profile}: how fast the gateway reads DLMS load profiles, over the wrapper and over HDLC at
 * 9600 baud with the line's timing, beside the limit the RS-485 wire itself sets for the same bytes.
 */
package io.edgegateway.bench.dlms;
