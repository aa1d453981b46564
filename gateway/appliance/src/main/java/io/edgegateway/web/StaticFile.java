package io.edgegateway.web;

import io.edgegateway.encoding.Gzip;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One file of the dashboard, held in memory as read from the jar.
 *
 * @param contentType the Content-Type it is served with
 * @param body        its bytes
 * @param etag        strong entity tag (quoted) derived from the bytes, so a browser revalidates with a 304
 * @param page        an HTML page: gets the content security policy and referrer policy
 * @param gzipped     {@code body} gzipped once at start, or null when too short to gain from it
 */
record StaticFile(String contentType, byte[] body, String etag, boolean page, byte[] gzipped) {

    static StaticFile of(String contentType, byte[] body) {
        return new StaticFile(contentType, body, etagOf(body), contentType.startsWith("text/html"),
                Gzip.worthCompressing(body) ? Gzip.compress(body) : null);
    }

    /** Whether an {@code If-None-Match} value names this file's current bytes. */
    boolean matches(String ifNoneMatch) {
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            // A weak comparison is what If-None-Match asks for (RFC 9110 13.1.2).
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals("*") || t.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static String etagOf(byte[] body) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(body);
            return '"' + HexFormat.of().formatHex(d, 0, 12) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "StaticFile[" + contentType + ", " + body.length + " bytes, etag " + etag
                + (gzipped == null ? "" : ", " + gzipped.length + " gzipped") + "]";
    }
}
