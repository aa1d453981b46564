package io.edgegateway.sparkplug;

import java.util.Optional;

/**
 * {@code spBv1.0/<group>/<type>/<edge node>[/<device>]}.
 *
 * @param device empty for the node's own messages (NBIRTH, NDEATH, NDATA, NCMD)
 */
public record SparkplugTopic(String group, MessageType type, String edgeNode, Optional<String> device) {

    public static final String NAMESPACE = "spBv1.0";

    /** The message types of the specification's topic namespace that the gateway sends or reads. */
    public enum MessageType { NBIRTH, NDEATH, DBIRTH, DDEATH, NDATA, DDATA, NCMD, DCMD }

    public static SparkplugTopic node(String group, MessageType type, String edgeNode) {
        return new SparkplugTopic(group, type, edgeNode, Optional.empty());
    }

    public static SparkplugTopic device(String group, MessageType type, String edgeNode, String device) {
        return new SparkplugTopic(group, type, edgeNode, Optional.of(device));
    }

    @Override
    public String toString() {
        return NAMESPACE + "/" + group + "/" + type + "/" + edgeNode + device.map(d -> "/" + d).orElse("");
    }
}
