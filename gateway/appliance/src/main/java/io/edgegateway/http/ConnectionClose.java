package io.edgegateway.http;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.io.UncheckedIOException;

/**
 * A response that says {@code Connection: close} closes the connection once it is sent. Helidon decides keep-alive
 * from the request alone and would go on reading the connection; refusals (a wrong token, no free stream slot) and
 * ended event streams must not hold a socket for a client that is hammering or already gone. Outermost filter.
 */
public final class ConnectionClose implements Filter {

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        chain.proceed();
        if (!res.headers().contains(HeaderValues.CONNECTION_CLOSE)) {
            return;
        }
        if (res.hasEntity() && !res.isSent()) {
            try {
                res.commit(); // a stream's last chunk: written before the socket closes, not cut off by it
            } catch (UncheckedIOException e) {
                // the client is gone already; closing is all that is left
            }
        }
        throw new CloseConnectionException("response said Connection: close");
    }
}
