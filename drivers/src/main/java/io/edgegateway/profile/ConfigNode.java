package io.edgegateway.profile;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
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
 * file, the line, the full key and what is wrong, and {@link #allowOnly} to reject keys nobody reads (typos).
 *
 * <p>The file is read as YAML's node tree, not as YAML 1.1 values: a value is the text written, so {@code OFF}
 * stays {@code OFF} and {@code 0012345} is not turned into the octal number 5349. A key given twice in one map
 * is refused (YAML parsers let the last one win), and {@link #identifier} refuses an identifier that YAML would
 * read as a number or a boolean, with a hint to quote it.
 *
 * <p>Values may be overridden from outside the file (the gateway takes environment variables): the overrides are
 * looked up by full dotted key, e.g. {@code server.port}; unknown-key checks look at the file alone.
 */
public final class ConfigNode {

    /** Values from outside the file, by full dotted key; empty where the file's value stands. */
    @FunctionalInterface
    public interface Overrides {
        Optional<String> value(String key);

        /** Whether anything is given below {@code key} ({@code security.tokens.0} for SECURITY_TOKENS_0_NAME). */
        default boolean hasChildren(String key) {
            return false;
        }

        Overrides NONE = key -> Optional.empty();
    }

    private final Node node;
    private final String key;
    private final String source;
    private final int line;
    private final Overrides overrides;

    private ConfigNode(Node node, String key, String source, int line, Overrides overrides) {
        this.node = node;
        this.key = key;
        this.source = source;
        this.line = line;
        this.overrides = overrides;
    }

    /** Reads a YAML file. A missing or unreadable file says which and why. */
    public static ConfigNode readFile(Path file) {
        String source = file.toString();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, source);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, "", "file not found");
        } catch (AccessDeniedException e) {
            throw new ConfigException(source, "", "permission denied (the service reads it as user gateway)");
        } catch (IOException e) {
            throw new ConfigException(source, "", Files.isDirectory(file) ? "is a directory, not a file"
                    : "cannot read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Reads a YAML resource from the class path. */
    public static ConfigNode readResource(String resource) {
        String source = "classpath:" + resource;
        InputStream in = ConfigNode.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new ConfigException(source, "", "not found");
        }
        try (Reader r = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
            return parse(r, source);
        } catch (IOException e) {
            throw new ConfigException(source, "", "cannot read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** A node with nothing in it: every key absent. */
    public static ConfigNode empty(String source) {
        return new ConfigNode(null, "", source, 0, Overrides.NONE);
    }

    /** Reads YAML text; {@code source} names it in messages. */
    public static ConfigNode parse(String yaml, String source) {
        return parse(new StringReader(yaml), source);
    }

    private static ConfigNode parse(Reader reader, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20); // no "billion laughs"
        options.setCodePointLimit(4 * 1024 * 1024);
        Node root;
        try {
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new ConfigException(source, m == null ? 0 : m.getLine() + 1, "",
                    "cannot parse YAML: " + (e.getProblem() != null ? e.getProblem() : e.getContext()));
        } catch (YAMLException e) {
            throw new ConfigException(source, "", "cannot parse YAML: " + firstLine(e.getMessage()));
        }
        if (root != null && !(root instanceof MappingNode)) {
            throw new ConfigException(source, line(root), "", "expected a map of keys to values at the top");
        }
        if (root != null) {
            refuseDuplicateKeys(root, source, "");
        }
        return new ConfigNode(root, "", source, 1, Overrides.NONE);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("").strip();
    }

    private static void refuseDuplicateKeys(Node n, String source, String path) {
        if (n instanceof MappingNode m) {
            Map<String, Integer> seen = new HashMap<>();
            for (NodeTuple t : m.getValue()) {
                String k = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
                Integer first = seen.putIfAbsent(k, line(t.getKeyNode()));
                if (first != null) {
                    throw new ConfigException(source, line(t.getKeyNode()), "",
                            "key '" + k + "' given twice" + (path.isEmpty() ? "" : " in " + path)
                                    + " (first at line " + first + ")");
                }
                refuseDuplicateKeys(t.getValueNode(), source, child(path, k));
            }
        } else if (n instanceof SequenceNode s) {
            List<Node> items = s.getValue();
            for (int i = 0; i < items.size(); i++) {
                refuseDuplicateKeys(items.get(i), source, child(path, String.valueOf(i)));
            }
        }
    }

    private static int line(Node n) {
        return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }

    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** The same tree, with values overridden from outside the file. */
    public ConfigNode withOverrides(Overrides o) {
        return new ConfigNode(node, key, source, line, o);
    }

    public String source() {
        return source;
    }

    /** Full dotted key of this node, e.g. {@code devices.2.unit-id}; empty at the top. */
    public String key() {
        return key;
    }

    /** The line this node starts on, or its parent's when it is absent. */
    public int line() {
        return line;
    }

    /** In the file, or given from outside: as a value, or as keys below it ({@code UPLINK_MQTT_URL} for uplink.mqtt). */
    public boolean exists() {
        return node != null || overrides.value(key).isPresent() || overrides.hasChildren(key);
    }

    public ConfigNode get(String name) {
        Node child = null;
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(name)) {
                    child = t.getValueNode();
                    break;
                }
            }
        }
        return new ConfigNode(child, child(key, name), source, child != null ? line(child) : line, overrides);
    }

    public boolean has(String name) {
        return get(name).exists();
    }

    /** Fails for any child key not in {@code allowed}, listing what is allowed. */
    public ConfigNode allowOnly(Set<String> allowed) {
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                String k = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
                if (!allowed.contains(k)) {
                    throw new ConfigException(source, line(t.getKeyNode()), child(key, k),
                            "unknown key (allowed here: " + String.join(", ", new TreeSet<>(allowed)) + ")");
                }
            }
        }
        return this;
    }

    public ConfigException error(String problem) {
        return new ConfigException(source, line, key, problem);
    }

    /**
     * Children of a list node; an absent node is an empty list. A list the file lacks may come from outside it:
     * as one comma-separated value ({@code CORS_ALLOWED_DASH_ORIGINS=https://a,https://b}), or as numbered
     * entries ({@code SECURITY_TOKENS_0_NAME=hes}, {@code SECURITY_TOKENS_0_TOKEN_DASH_ENV=HES_TOKEN}).
     */
    public List<ConfigNode> list() {
        if (node == null) {
            return listFromOutside();
        }
        if (!(node instanceof SequenceNode s)) {
            throw error("expected a list");
        }
        List<ConfigNode> out = new ArrayList<>();
        List<Node> items = s.getValue();
        for (int i = 0; i < items.size(); i++) {
            out.add(new ConfigNode(items.get(i), child(key, String.valueOf(i)), source, line(items.get(i)), overrides));
        }
        return out;
    }

    private List<ConfigNode> listFromOutside() {
        List<ConfigNode> out = new ArrayList<>();
        Optional<String> joined = overrides.value(key);
        if (joined.isPresent()) {
            String[] items = joined.get().split(",");
            for (int i = 0; i < items.length; i++) {
                String item = items[i].trim();
                String itemKey = child(key, String.valueOf(i));
                out.add(new ConfigNode(null, itemKey, source, line, k -> k.equals(itemKey) ? Optional.of(item)
                        : overrides.value(k)));
            }
            return out;
        }
        for (int i = 0; overrides.hasChildren(child(key, String.valueOf(i))); i++) {
            out.add(new ConfigNode(null, child(key, String.valueOf(i)), source, line, overrides));
        }
        return out;
    }

    /** Children of a map node by name, in file order; absent is empty. */
    public Map<String, ConfigNode> children() {
        Map<String, ConfigNode> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (!(node instanceof MappingNode m)) {
            throw error("expected a map of keys to values");
        }
        for (NodeTuple t : m.getValue()) {
            String k = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "?";
            out.put(k, new ConfigNode(t.getValueNode(), child(key, k), source, line(t.getValueNode()), overrides));
        }
        return out;
    }

    public boolean isLeaf() {
        return node == null || node instanceof ScalarNode;
    }

    /** This node's own value, as written (or overridden); empty when absent or written as null/~. */
    public Optional<String> value() {
        Optional<String> o = overrides.value(key);
        if (o.isPresent()) {
            return o;
        }
        if (node == null) {
            return Optional.empty();
        }
        if (!(node instanceof ScalarNode s)) {
            throw error("expected a single value, found a " + (node instanceof SequenceNode ? "list" : "map"));
        }
        if (s.getTag().equals(Tag.NULL) && s.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN) {
            return Optional.empty();
        }
        return Optional.of(s.getValue());
    }

    // ---- typed getters -------------------------------------------------------------------------------

    public String string(String name) {
        return optionalString(name).orElseThrow(() -> get(name).error("required"));
    }

    public Optional<String> optionalString(String name) {
        return get(name).value();
    }

    public String string(String name, String defaultValue) {
        return optionalString(name).orElse(defaultValue);
    }

    /**
     * An identifier (a meter number, a system title): it must be a string in the file. YAML reads an unquoted
     * {@code 0012345} as the octal number 5349 and {@code 1e3} as a float; other tools reading the same file would
     * see those, so such a value is refused with a hint to quote it.
     */
    public Optional<String> optionalIdentifier(String name) {
        ConfigNode n = get(name);
        if (n.node instanceof ScalarNode s && s.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN
                && overrides.value(n.key).isEmpty()) {
            Tag t = s.getTag();
            if (t.equals(Tag.INT) || t.equals(Tag.FLOAT) || t.equals(Tag.BOOL)) {
                String kind = t.equals(Tag.BOOL) ? "a boolean" : "a number";
                throw n.error("YAML reads " + s.getValue() + " as " + kind + ", not as text; quote it: " + name
                        + ": \"" + s.getValue() + "\"");
            }
        }
        return n.value();
    }

    public String identifier(String name) {
        return optionalIdentifier(name).orElseThrow(() -> get(name).error("required"));
    }

    public int integer(String name, int defaultValue, int min, int max) {
        return optionalInteger(name, min, max).orElse(defaultValue);
    }

    public int integer(String name, int min, int max) {
        return optionalInteger(name, min, max).orElseThrow(() -> get(name).error("required"));
    }

    public Optional<Integer> optionalInteger(String name, int min, int max) {
        return optionalString(name).map(v -> {
            int i = convert(name, v, "an integer", ConfigNode::parseInt);
            if (i < min || i > max) {
                throw get(name).error("must be " + min + ".." + max + ", got " + i);
            }
            return i;
        });
    }

    public Optional<BigDecimal> optionalDecimal(String name) {
        return optionalString(name).map(v -> convert(name, v, "a number", s -> new BigDecimal(s.trim().replace("_", ""))));
    }

    public boolean bool(String name, boolean defaultValue) {
        return optionalString(name).map(v -> switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw get(name).error("expected true or false, got '" + v + "'");
        }).orElse(defaultValue);
    }

    /** A duration written as {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT5S}). */
    public Optional<Duration> optionalDuration(String name) {
        return optionalString(name).map(v -> convert(name, v, "a duration such as 500ms, 5s, 2m", ConfigNode::parseDuration));
    }

    public Duration duration(String name, Duration defaultValue) {
        return optionalDuration(name).orElse(defaultValue);
    }

    /** Parses with {@code parser}; an IllegalArgumentException's message becomes the problem. */
    public <T> T convert(String name, String value, String expected, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw get(name).error("expected " + expected + ", got '" + value + "'");
        } catch (IllegalArgumentException e) {
            throw get(name).error(e.getMessage());
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
        Measure m = Measure.of(t, text);
        BigDecimal n = m.number();
        BigDecimal millis = switch (m.unit()) {
            case "ms" -> n;
            case "s", "" -> n.multiply(BigDecimal.valueOf(1000));
            case "m", "min" -> n.multiply(BigDecimal.valueOf(60_000));
            case "h" -> n.multiply(BigDecimal.valueOf(3_600_000));
            case "d" -> n.multiply(BigDecimal.valueOf(86_400_000));
            default -> throw new NumberFormatException(text);
        };
        return Duration.ofMillis(millis.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
    }

    /** "1GB", "500MB", "64MiB", "1000000" (bytes); decimal units are powers of 1000, binary ones of 1024. */
    public static long parseSize(String text) {
        Measure m = Measure.of(text.trim().toUpperCase(Locale.ROOT).replace(" ", ""), text);
        long unit = switch (m.unit()) {
            case "", "B" -> 1;
            case "KB", "K" -> 1000;
            case "MB", "M" -> 1000_000;
            case "GB", "G" -> 1000_000_000;
            case "KIB" -> 1024;
            case "MIB" -> 1024 * 1024;
            case "GIB" -> 1024L * 1024 * 1024;
            default -> throw new NumberFormatException(text);
        };
        return m.number().multiply(BigDecimal.valueOf(unit)).longValueExact();
    }

    /** A number followed by its unit, as "1.5s" or "64MiB". */
    private record Measure(BigDecimal number, String unit) {
        static Measure of(String normalised, String asWritten) {
            int split = 0;
            while (split < normalised.length()
                    && (Character.isDigit(normalised.charAt(split)) || normalised.charAt(split) == '.')) {
                split++;
            }
            if (split == 0) {
                throw new NumberFormatException(asWritten);
            }
            return new Measure(new BigDecimal(normalised.substring(0, split)), normalised.substring(split).trim());
        }
    }
}
