package io.edgegateway.profile;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A strict view of one node of a YAML file: typed getters that fail with {@link ConfigException} naming the
 * file, the full key and what is wrong, and {@link #allowOnly} to reject keys nobody reads (typos).
 */
public final class ConfigNode {

    private final Config node;
    private final Config written;
    private final String source;

    private ConfigNode(Config node, String source) {
        this(node, node, source);
    }

    private ConfigNode(Config node, Config written, String source) {
        this.node = node;
        this.written = written;
        this.source = source;
    }

    /** Wraps an existing config tree; {@code source} names it in messages (usually the file path). */
    public static ConfigNode of(Config config, String source) {
        return new ConfigNode(config, source);
    }

    /**
     * Values come from {@code effective} (a file with environment overrides on top), while unknown-key checks
     * look only at {@code written}, the file itself: the environment holds many variables that are not ours.
     */
    public static ConfigNode overlay(Config effective, Config written, String source) {
        return new ConfigNode(effective, written, source);
    }

    /** Reads a YAML file. */
    public static ConfigNode readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file.toString(), "", "file not found");
        }
        if (!Files.isReadable(file)) {
            throw new ConfigException(file.toString(), "", "file not readable");
        }
        return new ConfigNode(parse(() -> Config.just(ConfigSources.file(file).build()), file.toString()), file.toString());
    }

    /** Reads a YAML resource from the class path. */
    public static ConfigNode readResource(String resource) {
        return new ConfigNode(parse(() -> Config.just(ConfigSources.classpath(resource).build()), resource),
                "classpath:" + resource);
    }

    private static Config parse(java.util.function.Supplier<Config> reader, String source) {
        try {
            Config c = reader.get();
            c.traverse().count(); // parse now so YAML syntax errors surface here, with the file name
            return c;
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
            // SnakeYAML spreads problem and position over several lines, with a caret drawing; keep the words.
            String oneLine = msg.lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.matches("\\^+") && !l.startsWith("\""))
                    .reduce((a, b) -> a + "; " + b).orElse(msg);
            throw new ConfigException(source, "", "cannot parse YAML: " + oneLine);
        }
    }

    public String source() {
        return source;
    }

    /** Full dotted key of this node, e.g. {@code devices.2.unitId}. */
    public String key() {
        return node.key().toString();
    }

    public Config raw() {
        return node;
    }

    public boolean exists() {
        return node.exists();
    }

    public ConfigNode get(String key) {
        return new ConfigNode(node.get(key), written.get(key), source);
    }

    public boolean has(String key) {
        return node.get(key).exists();
    }

    /** Fails for any child key not in {@code allowed}, listing what is allowed. */
    public ConfigNode allowOnly(Set<String> allowed) {
        if (written.type() == Config.Type.OBJECT) {
            for (Config child : written.asNodeList().orElse(List.of())) {
                if (!allowed.contains(child.name())) {
                    throw new ConfigException(source, child.key().toString(),
                            "unknown key (allowed here: " + String.join(", ", new TreeSet<>(allowed)) + ")");
                }
            }
        }
        return this;
    }

    public ConfigException error(String problem) {
        return new ConfigException(source, key(), problem);
    }

    /** Children of a list node; an absent node is an empty list. */
    public List<ConfigNode> list() {
        if (!node.exists()) {
            return List.of();
        }
        if (node.type() != Config.Type.LIST) {
            throw error("expected a list");
        }
        List<ConfigNode> out = new ArrayList<>();
        for (Config c : node.asNodeList().orElse(List.of())) {
            out.add(new ConfigNode(c, written.get(c.name()), source));
        }
        return out;
    }

    /** Children of an object node by name, in file order; absent is empty. */
    public Map<String, ConfigNode> children() {
        Map<String, ConfigNode> out = new LinkedHashMap<>();
        if (!node.exists()) {
            return out;
        }
        if (node.type() != Config.Type.OBJECT) {
            throw error("expected a map of keys to values");
        }
        for (Config c : node.asNodeList().orElse(List.of())) {
            out.put(c.name(), new ConfigNode(c, written.get(c.name()), source));
        }
        return out;
    }

    public boolean isLeaf() {
        return node.type() == Config.Type.VALUE;
    }

    // ---- typed getters -------------------------------------------------------------------------------

    public String string(String key) {
        return optionalString(key).orElseThrow(() -> get(key).error("required"));
    }

    public Optional<String> optionalString(String key) {
        Config c = node.get(key);
        if (!c.exists()) {
            return Optional.empty();
        }
        if (c.type() != Config.Type.VALUE) {
            throw new ConfigException(source, c.key().toString(), "expected a single value, found a "
                    + c.type().name().toLowerCase(Locale.ROOT));
        }
        return c.asString().asOptional();
    }

    public String string(String key, String defaultValue) {
        return optionalString(key).orElse(defaultValue);
    }

    public int integer(String key, int defaultValue, int min, int max) {
        return optionalInteger(key, min, max).orElse(defaultValue);
    }

    public int integer(String key, int min, int max) {
        return optionalInteger(key, min, max).orElseThrow(() -> get(key).error("required"));
    }

    public Optional<Integer> optionalInteger(String key, int min, int max) {
        return optionalString(key).map(v -> {
            int i = convert(key, v, "an integer", ConfigNode::parseInt);
            if (i < min || i > max) {
                throw get(key).error("must be " + min + ".." + max + ", got " + i);
            }
            return i;
        });
    }

    public Optional<BigDecimal> optionalDecimal(String key) {
        return optionalString(key).map(v -> convert(key, v, "a number", s -> new BigDecimal(s.trim())));
    }

    public boolean bool(String key, boolean defaultValue) {
        return optionalString(key).map(v -> switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw get(key).error("expected true or false, got '" + v + "'");
        }).orElse(defaultValue);
    }

    /** A duration written as {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT5S}). */
    public Optional<Duration> optionalDuration(String key) {
        return optionalString(key).map(v -> convert(key, v, "a duration such as 500ms, 5s, 2m", ConfigNode::parseDuration));
    }

    public Duration duration(String key, Duration defaultValue) {
        return optionalDuration(key).orElse(defaultValue);
    }

    /** Parses with {@code parser}; an IllegalArgumentException's message becomes the problem. */
    public <T> T convert(String key, String value, String expected, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw get(key).error("expected " + expected + ", got '" + value + "'");
        } catch (IllegalArgumentException e) {
            throw get(key).error(e.getMessage());
        }
    }

    /** Decimal, or hexadecimal with 0x. No octal: a leading 0 is decimal, as installers expect. */
    public static int parseInt(String text) {
        String t = text.trim().replace("_", "");
        if (t.startsWith("0x") || t.startsWith("0X")) {
            return Integer.parseInt(t.substring(2), 16);
        }
        return Integer.parseInt(t);
    }

    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("pt") || t.startsWith("p")) {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        }
        int split = 0;
        while (split < t.length() && (Character.isDigit(t.charAt(split)) || t.charAt(split) == '.')) {
            split++;
        }
        if (split == 0) {
            throw new NumberFormatException(text);
        }
        BigDecimal n = new BigDecimal(t.substring(0, split));
        String unit = t.substring(split).trim();
        BigDecimal millis = switch (unit) {
            case "ms" -> n;
            case "s", "" -> n.multiply(BigDecimal.valueOf(1000));
            case "m", "min" -> n.multiply(BigDecimal.valueOf(60_000));
            case "h" -> n.multiply(BigDecimal.valueOf(3_600_000));
            default -> throw new NumberFormatException(text);
        };
        return Duration.ofMillis(millis.longValue());
    }
}
