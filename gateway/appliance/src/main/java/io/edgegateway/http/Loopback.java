package io.edgegateway.http;

import io.helidon.webserver.http.ServerRequest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Whether a request comes from this machine. Without access tokens, the routes that act (broadcasts, writes to
 * devices, the audit trail) answer only such callers: someone at the gateway's own console or SSH session.
 */
public final class Loopback {

    private Loopback() {
    }

    /** True when the peer's address is a loopback address (127.0.0.0/8, ::1). */
    public static boolean from(ServerRequest req) {
        return loopback(req.remotePeer().address());
    }

    static boolean loopback(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            InetAddress ip = i.getAddress();
            return ip != null && ip.isLoopbackAddress();
        }
        return false;
    }
}
