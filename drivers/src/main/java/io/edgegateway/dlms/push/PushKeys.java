package io.edgegateway.dlms.push;

import io.edgegateway.dlms.security.Ciphering;

import java.util.Map;
import java.util.Optional;

/** The keys of each meter that may push, by its system title. */
@FunctionalInterface
public interface PushKeys {

    /** The sender's keys, empty for a system title nobody configured. */
    Optional<Ciphering> of(SystemTitle sender);

    static PushKeys of(Map<SystemTitle, Ciphering> keys) {
        Map<SystemTitle, Ciphering> copy = Map.copyOf(keys);
        return sender -> Optional.ofNullable(copy.get(sender));
    }
}
