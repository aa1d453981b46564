package io.edgegateway.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A systemd unit file read as section/key/value entries, in order; repeated keys keep every value. */
record UnitFile(List<Entry> entries) {

    record Entry(String section, String key, String value) {
    }

    static UnitFile read(Path file) {
        List<Entry> out = new ArrayList<>();
        String section = "";
        try {
            for (String line : Files.readAllLines(file)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
                    continue;
                }
                if (l.startsWith("[") && l.endsWith("]")) {
                    section = l.substring(1, l.length() - 1);
                    continue;
                }
                int eq = l.indexOf('=');
                if (eq > 0) {
                    out.add(new Entry(section, l.substring(0, eq).strip(), l.substring(eq + 1).strip()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new UnitFile(out);
    }

    List<String> all(String section, String key) {
        return entries.stream().filter(e -> e.section().equals(section) && e.key().equals(key)).map(Entry::value).toList();
    }

    /** The single value of a key, or null when absent; two values of a single-valued key fail the test. */
    String one(String section, String key) {
        List<String> v = all(section, key);
        if (v.size() > 1) {
            throw new AssertionError(section + "." + key + " is set " + v.size() + " times: " + v);
        }
        return v.isEmpty() ? null : v.get(0);
    }
}
