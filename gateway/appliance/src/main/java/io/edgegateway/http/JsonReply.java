package io.edgegateway.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.Json;

/** Writes JSON bodies, including the one error shape every endpoint uses: {"error": code, "message": text}. */
public final class JsonReply {

    private JsonReply() {
    }

    public static void send(ServerResponse res, Status status, String json) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.send(json);
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
