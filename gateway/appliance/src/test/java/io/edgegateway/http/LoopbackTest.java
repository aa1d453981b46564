package io.edgegateway.http;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoopbackTest {

    @Test
    void onlyLoopbackAddressesAreThisMachine() throws Exception {
        assertTrue(Loopback.loopback(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5000)));
        assertTrue(Loopback.loopback(new InetSocketAddress(InetAddress.getByName("127.8.9.10"), 5000)));
        assertTrue(Loopback.loopback(new InetSocketAddress(InetAddress.getByName("::1"), 5000)));
        assertFalse(Loopback.loopback(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 5000)));
        assertFalse(Loopback.loopback(new InetSocketAddress(InetAddress.getByName("::ffff:10.0.0.1"), 5000)));
        assertFalse(Loopback.loopback(InetSocketAddress.createUnresolved("localhost", 5000)), "not resolved: no");
    }
}
