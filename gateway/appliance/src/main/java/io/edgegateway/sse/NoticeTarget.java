package io.edgegateway.sse;

import java.util.Map;

/**
 * Which clients a notification is for: every criterion given must hold, and a target without any reaches every
 * client ({@code broadcast}).
 *
 * @param userId    the client's user, or null for any
 * @param sessionId the client's session, or null for any
 * @param metadata  entries the client's metadata must all have, empty for any
 * @param tokenName the token the client connected with, or null for any (the older form of the send request)
 */
record NoticeTarget(String userId, String sessionId, Map<String, String> metadata, String tokenName) {

    static final NoticeTarget EVERYONE = new NoticeTarget(null, null, Map.of(), null);

    NoticeTarget {
        metadata = Map.copyOf(metadata);
    }

    boolean reaches(Connection c) {
        Audience a = c.audience();
        return (userId == null || userId.equals(a.userId()))
                && (sessionId == null || sessionId.equals(a.sessionId()))
                && (tokenName == null || tokenName.equals(c.tokenName()))
                && metadata.entrySet().stream().allMatch(e -> e.getValue().equals(a.metadata().get(e.getKey())));
    }
}
