package io.edgegateway.encoding;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * gzip for clients that ask for it with {@code Accept-Encoding}: our own rather than Helidon's encoding module, so
 * that SSE streams flush every event through the compressor and short bodies go as they are.
 */
public final class Gzip {

    /** Shorter bodies go uncompressed: gzip's 18-byte frame and the CPU would eat most of the saving. */
    static final int MIN_BODY = 1024;

    private Gzip() {
    }

    /** Whether the request's {@code Accept-Encoding} allows gzip (RFC 9110 12.5.3; {@code gzip;q=0} refuses). */
    public static boolean accepted(ServerRequest req) {
        boolean star = false;
        for (String header : req.headers().all(HeaderNames.ACCEPT_ENCODING, java.util.List::of)) {
            for (String item : header.split(",")) {
                String[] parts = item.trim().split(";");
                String coding = parts[0].trim().toLowerCase(Locale.ROOT);
                boolean allowed = quality(parts) > 0;
                if (coding.equals("gzip") || coding.equals("x-gzip")) {
                    return allowed;
                }
                if (coding.equals("*")) {
                    star = allowed;
                }
            }
        }
        return star;
    }

    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.startsWith("q=") || p.startsWith("Q=")) {
                try {
                    return Double.parseDouble(p.substring(2).trim());
                } catch (NumberFormatException e) {
                    return 0; // an unreadable weight: do not guess that the client can decode it
                }
            }
        }
        return 1;
    }

    /** Whether {@code body} is long enough to gain from gzip. */
    public static boolean worthCompressing(byte[] body) {
        return body.length >= MIN_BODY;
    }

    /** Sends {@code body}, gzipped when the client accepts it and it is long enough to gain from it. */
    public static void send(ServerRequest req, ServerResponse res, byte[] body) {
        res.header(HeaderNames.VARY, "Accept-Encoding");
        if (worthCompressing(body) && accepted(req)) {
            res.header(HeaderNames.CONTENT_ENCODING, "gzip");
            res.send(compress(body));
        } else {
            res.send(body);
        }
    }

    /**
     * The response's body stream, through gzip when the client accepts it: for long bodies written as they are
     * produced (history pages, CSV). Closing it finishes the gzip trailer.
     */
    public static OutputStream stream(ServerRequest req, ServerResponse res) throws IOException {
        res.header(HeaderNames.VARY, "Accept-Encoding");
        if (!accepted(req)) {
            return res.outputStream();
        }
        return stream(res, false);
    }

    /**
     * A gzip body stream, unconditionally. With {@code flushEach}, every {@code flush()} pushes what was written
     * so far through the compressor (a zlib sync flush): what an event stream needs, at some cost in ratio.
     */
    public static OutputStream stream(ServerResponse res, boolean flushEach) throws IOException {
        res.header(HeaderNames.CONTENT_ENCODING, "gzip");
        return flushing(res.outputStream(), flushEach);
    }

    /**
     * gzip over {@code out} at the best ratio: zlib's level 9 finds the long repeats between successive readings
     * that level 6 gives up on, at no measurable cost for bodies of a few KB.
     */
    public static GZIPOutputStream flushing(OutputStream out, boolean flushEach) throws IOException {
        return new GZIPOutputStream(out, 1024, flushEach) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        };
    }

    /** {@code body} gzipped, in one piece. */
    public static byte[] compress(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream gz = flushing(out, false)) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip into memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
