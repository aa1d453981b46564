package io.edgegateway.config;

/**
 * A named access token. The name appears in logs and statistics; the secret never does.
 *
 * @param name   who holds it, e.g. "hes-dashboard"
 * @param secret the token value
 * @param admin  may broadcast notifications ({@code POST /api/sse/send}), manage alert rules, read the audit trail
 *               and see each client's address; implies {@code write}
 * @param write  may write points ({@code POST /api/meters/{meterNo}/points/{name}})
 * @param user   when set, the only {@code userId} this token may subscribe to {@code /api/sse} as (its own
 *               notifications); null lets it choose, defaulting to the token's name
 */
public record AccessToken(String name, String secret, boolean admin, boolean write, String user) {

    public AccessToken {
        write = write || admin;
    }

    /** A token that may read, and may administer when {@code admin}. */
    public AccessToken(String name, String secret, boolean admin) {
        this(name, secret, admin, admin, null);
    }

    @Override
    public String toString() {
        return "AccessToken[name=" + name + ", secret=***" + (admin ? ", admin" : write ? ", write" : "")
                + (user != null ? ", user=" + user : "") + "]";
    }
}
