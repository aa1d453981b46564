package io.edgegateway.profile;

/**
 * A config or profile file is wrong. The message names the file (with the line, where one is known), the key and
 * the problem: {@code /etc/gateway/gateway.yaml:12: devices.0.unit-id: must be 1..247, got 300}.
 */
public class ConfigException extends RuntimeException {

    private final String source;
    private final int line;
    private final String key;
    private final String problem;

    public ConfigException(String source, String key, String problem) {
        this(source, 0, key, problem);
    }

    /** @param line 1-based, or 0 when not known */
    public ConfigException(String source, int line, String key, String problem) {
        super(source + (line > 0 ? ":" + line : "") + ": " + (key == null || key.isEmpty() ? "" : key + ": ") + problem);
        this.source = source;
        this.line = line;
        this.key = key;
        this.problem = problem;
    }

    public String source() {
        return source;
    }

    /** 1-based line, 0 when not known. */
    public int line() {
        return line;
    }

    public String key() {
        return key;
    }

    public String problem() {
        return problem;
    }
}
