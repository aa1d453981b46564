package io.edgegateway.http;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonParsingException;

import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.StringReader;
import java.util.Optional;

/**
 * Reads a request body that must be one JSON object, and says in plain words why one is not. Nesting is checked
 * before parsing: the parser's own limit surfaces as a bare runtime error (a 500 and a stack trace in the log),
 * and a body deeper than {@value #MAX_DEPTH} levels is a client's mistake or an attack, never a notification.
 */
public final class JsonBody {

    public static final int MAX_DEPTH = 32;

    private JsonBody() {
    }

    /** A body the client got wrong; its message goes back in the 400. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    public static JsonObject object(String text) throws Refused {
        int depth = depth(text);
        if (depth > MAX_DEPTH) {
            throw new Refused("JSON nested " + depth + " levels deep; at most " + MAX_DEPTH + " are accepted");
        }
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        } catch (JsonParsingException e) {
            var at = e.getLocation();
            throw new Refused("not valid JSON" + (at == null ? "" : " at line " + at.getLineNumber() + ", column "
                    + at.getColumnNumber()));
        } catch (JsonException | IllegalStateException | ClassCastException e) {
            throw new Refused("body must be a JSON object");
        }
    }

    /** The request's body as a JSON object, or empty after answering {@code 400 bad-json} with why. */
    public static Optional<JsonObject> of(ServerRequest req, ServerResponse res) {
        try {
            return Optional.of(object(req.content().as(String.class)));
        } catch (Refused e) {
            JsonReply.error(res, Status.BAD_REQUEST_400, "bad-json", e.getMessage());
            return Optional.empty();
        }
    }

    /** The deepest nesting of objects and arrays, brackets inside strings not counted. */
    static int depth(String text) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                max = Math.max(max, ++depth);
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return max;
    }
}
