package io.edgegateway.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http1.Http1ConnectionListener;

import java.io.OutputStream;

/**
 * HEAD on any route answers as GET would, without the body (monitoring probes and link checkers use it).
 *
 * <p>Helidon routes HEAD only where a route says so. This filter runs the GET route instead and drops the body
 * bytes as the route writes them, counting them. Helidon would then announce a body of 0 bytes; as its HTTP/1 send
 * listener, this class corrects {@code Content-Length} to what GET would have sent, just before the headers go out.
 * A stream ({@link #isHead} tells a route) answers with its headers and ends at once.
 */
public final class HeadRequests implements Filter, Http1ConnectionListener {

    /** The body count of the HEAD request this thread runs: Helidon runs one connection per virtual thread. */
    private final ThreadLocal<CountingSink> current = new ThreadLocal<>();

    /** Set in a request's context while it is a HEAD answered by a GET route. */
    public record Marker() {
    }

    /** True when the request is a HEAD being answered by its GET route: a stream sends its headers only. */
    public static boolean isHead(io.helidon.webserver.http.ServerRequest req) {
        return req.context().get(Marker.class).isPresent();
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        HttpPrologue p = req.prologue();
        if (p.method() != Method.HEAD) {
            chain.proceed();
            return;
        }
        req.prologue(HttpPrologue.create(p.rawProtocol(), p.protocol(), p.protocolVersion(), Method.GET, p.uriPath(),
                p.query(), p.fragment()));
        req.context().register(new Marker());
        // Committed as soon as the body is complete, while this thread still knows the count: a filter that
        // answers (a 401) must have sent its response by the time it returns.
        CountingSink sink = new CountingSink(res::commit);
        res.streamFilter(body -> {
            sink.body = body;
            return sink;
        });
        current.set(sink);
        try {
            chain.proceed();
        } finally {
            current.remove();
        }
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        CountingSink sink = current.get();
        if (sink == null || !(headers instanceof WritableHeaders<?> w)) {
            return;
        }
        boolean stream = headers.first(HeaderNames.CONTENT_TYPE).filter(t -> t.startsWith("text/event-stream"))
                .isPresent();
        if (stream || headers.contains(HeaderNames.CONTENT_ENCODING)) {
            w.remove(HeaderNames.CONTENT_LENGTH); // a stream has no length; an encoded one is not the count
        } else {
            w.set(HeaderNames.CONTENT_LENGTH, String.valueOf(sink.count));
        }
    }

    /** Where a HEAD's body goes: nowhere, counted. Closing it lets Helidon send the headers. */
    private static final class CountingSink extends OutputStream {
        private final Runnable commit;
        private OutputStream body;
        private long count;

        CountingSink(Runnable commit) {
            this.commit = commit;
        }

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }

        @Override
        public void close() throws java.io.IOException {
            if (body != null) {
                body.close();
            }
            commit.run();
        }
    }
}
