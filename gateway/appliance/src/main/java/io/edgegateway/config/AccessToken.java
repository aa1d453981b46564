package io.edgegateway.config;

/**
 * A named access token. The name appears in logs and statistics; the secret never does.
 *
 * @param name   who holds it, e.g. "hes-dashboard"
 * @param secret the token value
 * @param admin  may broadcast notifications ({@code POST /api/sse/send}) and see each client's address
 */
public record AccessToken(String name, String secret, boolean admin) {

    @Override
    public String toString() {
        return "AccessToken[name=" + name + ", secret=***" + (admin ? ", admin" : "") + "]";
    }
}
