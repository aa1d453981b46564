package io.edgegateway.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parsed {@code --name value} / {@code --name=value} options, {@code --flag}s and positional arguments. Unknown
 * options (the message lists the known ones), missing values, a single-valued option given twice and bad numbers
 * are {@link IllegalArgumentException}s that name the option. Options read with {@link #all} may repeat.
 */
public final class Options {

    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    /**
     * @param valued options that take a value (may repeat), without dashes
     * @param flags  options that take none
     */
    public static Options parse(List<String> args, Set<String> valued, Set<String> flags) {
        Options o = new Options();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--") || a.equals("--")) {
                o.positional.add(a);
                continue;
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new IllegalArgumentException("--" + name + " takes no value");
                }
                o.values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                        throw new IllegalArgumentException("--" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                o.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                java.util.TreeSet<String> known = new java.util.TreeSet<>(valued);
                known.addAll(flags);
                throw new IllegalArgumentException("unknown option --" + name + " (options: --"
                        + String.join(" --", known) + ")");
            }
        }
        return o;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The value of a single-valued option; giving it twice is an error, not "the last one wins". */
    public Optional<String> value(String name) {
        List<String> v = values.get(name);
        if (v != null && v.size() > 1) {
            throw new IllegalArgumentException("--" + name + " given " + v.size() + " times");
        }
        return v == null ? Optional.empty() : Optional.of(v.get(0));
    }

    public String value(String name, String dflt) {
        return value(name).orElse(dflt);
    }

    public String required(String name) {
        return value(name).orElseThrow(() -> new IllegalArgumentException("--" + name + " is required"));
    }

    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    public int integer(String name, int dflt, int min, int max) {
        Optional<String> v = value(name);
        if (v.isEmpty()) {
            return dflt;
        }
        int i;
        try {
            String t = v.get().trim();
            i = t.startsWith("0x") || t.startsWith("0X") ? Integer.parseInt(t.substring(2), 16) : Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + v.get() + "'");
        }
        if (i < min || i > max) {
            throw new IllegalArgumentException("--" + name + " must be " + min + ".." + max + ", got " + i);
        }
        return i;
    }

    public List<String> positional() {
        return positional;
    }

    /** Fails unless there are between {@code min} and {@code max} positional arguments. */
    public Options positionalCount(int min, int max, String what) {
        if (positional.size() < min || positional.size() > max) {
            throw new IllegalArgumentException(positional.size() < min ? "missing " + what
                    : "unexpected argument '" + positional.get(max) + "'");
        }
        return this;
    }
}
