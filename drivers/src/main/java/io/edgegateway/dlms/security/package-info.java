/**
 * DLMS security suite 0: AES-GCM-128 authenticated encryption of xDLMS APDUs (glo- and ded- ciphering with the
 * security header: security control byte, sender system title, invocation counter), GMAC for HLS mechanism 5,
 * and the persisted client invocation counter ({@link io.edgegateway.dlms.security.InvocationCounterStore}).
 * Keys live only in memory and are never logged or printed.
 */
package io.edgegateway.dlms.security;
