package io.edgegateway.dlms.push;

import java.util.Optional;

/**
 * A push that was accepted.
 *
 * @param notification      what it carried
 * @param sender            the system title it was ciphered under; empty for a plain push
 * @param invocationCounter its invocation counter; -1 for a plain push
 */
public record Push(DataNotification notification, Optional<SystemTitle> sender, long invocationCounter) {
}
