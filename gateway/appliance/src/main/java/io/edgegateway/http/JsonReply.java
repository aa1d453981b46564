package io.edgegateway.http;

import io.edgegateway.encoding.Gzip;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;

import java.nio.charset.StandardCharsets;

/** Writes JSON bodies, including the one error shape every endpoint uses: {"error": code, "message": text}. */
public final class JsonReply {

    private JsonReply() {
    }

    public static void send(ServerResponse res, Status status, String json) {
        headers(res, status);
        res.send(json);
    }

    /** A reply that may be long (lists, health): gzipped when the client accepts it. */
    public static void send(ServerRequest req, ServerResponse res, Status status, String json) {
        headers(res, status);
        Gzip.send(req, res, json.getBytes(StandardCharsets.UTF_8));
    }

    private static void headers(ServerResponse res, Status status) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
    }

    /**
     * An error after which the connection is closed ({@link ConnectionClose}): for refusals a client may hammer,
     * such as a wrong token or no free stream slot.
     */
    public static void refuse(ServerResponse res, Status status, String code, String message) {
        res.header(HeaderValues.CONNECTION_CLOSE);
        error(res, status, code, message);
    }

    public static void error(ServerResponse res, Status status, String code, String message) {
        send(res, status, Json.createObjectBuilder().add("error", code).add("message", message).build().toString());
    }
}
