package io.edgegateway.profile;

/** A config or profile file is wrong. The message names the file, the key and the problem. */
public class ConfigException extends RuntimeException {

    private final String source;
    private final String key;
    private final String problem;

    public ConfigException(String source, String key, String problem) {
        super(source + ": " + (key == null || key.isEmpty() ? "" : key + ": ") + problem);
        this.source = source;
        this.key = key;
        this.problem = problem;
    }

    public String source() {
        return source;
    }

    public String key() {
        return key;
    }

    public String problem() {
        return problem;
    }
}
