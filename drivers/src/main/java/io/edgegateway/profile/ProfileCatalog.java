package io.edgegateway.profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The profiles a gateway knows: those shipped in the jar (listed in {@code profiles/index.txt}) and those in a
 * user directory, where a file with the same profile name replaces the shipped one.
 */
public final class ProfileCatalog {

    private static final String INDEX = "profiles/index.txt";

    private final Map<String, DeviceProfile> profiles;

    private ProfileCatalog(Map<String, DeviceProfile> profiles) {
        this.profiles = Collections.unmodifiableMap(profiles);
    }

    /** Only the profiles shipped in the jar. */
    public static ProfileCatalog shipped() {
        return new ProfileCatalog(loadShipped());
    }

    /**
     * Shipped profiles plus every {@code *.yaml}/{@code *.yml} in {@code directory}.
     *
     * @throws ConfigException for a missing directory or any bad file, naming it
     */
    public static ProfileCatalog withDirectory(Path directory) {
        Map<String, DeviceProfile> all = loadShipped();
        if (!Files.isDirectory(directory)) {
            throw new ConfigException(directory.toString(), "", "profile directory not found");
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory, "*.{yaml,yml}")) {
            ds.forEach(files::add);
        } catch (IOException e) {
            throw new ConfigException(directory.toString(), "", "cannot list profiles: " + e.getMessage());
        }
        Collections.sort(files);
        Map<String, String> seenIn = new TreeMap<>();
        for (Path f : files) {
            DeviceProfile p = ProfileParser.parse(ConfigNode.readFile(f));
            String earlier = seenIn.put(p.name(), f.toString());
            if (earlier != null) {
                throw new ConfigException(f.toString(), "name", "profile '" + p.name() + "' is also defined in " + earlier);
            }
            all.put(p.name(), p);
        }
        return new ProfileCatalog(all);
    }

    private static Map<String, DeviceProfile> loadShipped() {
        Map<String, DeviceProfile> out = new TreeMap<>();
        for (String resource : shippedResources()) {
            DeviceProfile p = ProfileParser.parse(ConfigNode.readResource(resource));
            out.put(p.name(), p);
        }
        return out;
    }

    private static List<String> shippedResources() {
        InputStream in = ProfileCatalog.class.getClassLoader().getResourceAsStream(INDEX);
        if (in == null) {
            throw new IllegalStateException(INDEX + " missing from the class path; the build is broken");
        }
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                line = line.strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    out.add("profiles/" + line);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + INDEX, e);
        }
        return out;
    }

    public Optional<DeviceProfile> find(String name) {
        return Optional.ofNullable(profiles.get(name));
    }

    public Collection<DeviceProfile> all() {
        return profiles.values();
    }

    public List<String> names() {
        return List.copyOf(profiles.keySet());
    }
}
