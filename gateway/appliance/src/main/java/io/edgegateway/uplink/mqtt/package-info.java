/**
 * The broker connection, on the HiveMQ MQTT client (MQTT 5): connect with a will, publish, subscribe to commands,
 * and failures told apart in an installer's words (refused, wrong password, untrusted certificate). The only
 * package that imports {@code com.hivemq}.
 */
package io.edgegateway.uplink.mqtt;
