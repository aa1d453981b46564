/**
 * TLS material from PEM files, as brokers and installers hand it out: CA certificates to trust, a client
 * certificate and its PKCS#8 private key. Checked when the config is loaded, used by the uplink.
 */
package io.edgegateway.tls;
