package io.edgegateway.uplink;

/** A meter number as one MQTT topic level: the wildcards and the separator cannot appear in one. */
final class TopicLevel {

    private TopicLevel() {
    }

    static String of(String name) {
        return name.replace('/', '_').replace('+', '_').replace('#', '_');
    }
}
