package io.edgegateway.config;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * {@code server.bind}: its form, checked when the config loads (a malformed address is refused), and whether it is
 * an address of this machine now, checked by {@code check-config} (a warning) and said when the server cannot bind
 * (exit 1, so that systemd retries: the interface may come up later).
 */
public final class BindAddress {

    private BindAddress() {
    }

    /** Why {@code bind} can never be an address to listen on, or empty when it is well formed. No DNS lookup. */
    public static Optional<String> malformed(String bind) {
        String hint = " (e.g. 127.0.0.1, 0.0.0.0 for every interface, :: or a host name)";
        if (bind.isEmpty()) {
            return Optional.of("empty" + hint);
        }
        if (bind.matches("[0-9.]+")) {
            if (!bind.matches("(\\d{1,3}\\.){3}\\d{1,3}")) {
                return Optional.of("not an IP address: '" + bind + "'" + hint);
            }
            for (String octet : bind.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return Optional.of("not an IP address: '" + bind + "' (" + octet + " is above 255)");
                }
            }
            return Optional.empty();
        }
        if (bind.contains(":")) {
            try {
                InetAddress.getByName(bind); // an IPv6 literal: parsed, never looked up
                return Optional.empty();
            } catch (UnknownHostException e) {
                return Optional.of("not an IPv6 address: '" + bind + "'" + hint);
            }
        }
        if (!bind.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*")) {
            return Optional.of("not an IP address or host name: '" + bind + "'" + hint);
        }
        return Optional.empty();
    }

    /** Why this machine cannot listen on {@code bind} now (unknown host, not one of its addresses), or empty. */
    public static Optional<String> notHere(String bind) {
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            return Optional.of("server.bind " + bind + ": unknown host");
        }
        try {
            if (address.isAnyLocalAddress() || address.isLoopbackAddress()
                    || NetworkInterface.getByInetAddress(address) != null) {
                return Optional.empty();
            }
            List<String> here = new ArrayList<>();
            for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                i.inetAddresses().map(InetAddress::getHostAddress).forEach(here::add);
            }
            return Optional.of("server.bind " + address.getHostAddress() + " is not an address of this machine now"
                    + " (addresses here: " + String.join(", ", here) + ")");
        } catch (SocketException e) {
            return Optional.empty(); // interfaces cannot be listed (a sandbox): the bind itself will tell
        }
    }
}
