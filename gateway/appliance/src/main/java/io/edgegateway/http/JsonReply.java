package io.edgegateway.http;

import io.helidon.http.HeaderNames;
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

    public static void error(ServerResponse res, Status status, String code, String message) {
        send(res, status, Json.createObjectBuilder().add("error", code).add("message", message).build().toString());
    }
}
