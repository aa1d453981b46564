/**
 * DLMS push into the gateway (docs/dlms.md, "Push"): {@link io.edgegateway.push.PushListener} takes TCP connections
 * from meters on the {@code dlms-push} port, reads IEC 62056-47 wrapper frames and hands each APDU to
 * {@link io.edgegateway.push.PushReceiver}, which deciphers it with the sender's keys, maps its values to the meter's
 * points and publishes them to the hub as that meter's reading. What was taken and what refused, and why, is
 * counted ({@link io.edgegateway.push.PushHealth}) for {@code /health} and {@code /metrics}.
 */
package io.edgegateway.push;
