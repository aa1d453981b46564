package io.edgegateway.cli;

import io.edgegateway.command.Command;
import io.edgegateway.command.CommandSet;
import io.edgegateway.command.Options;
import io.edgegateway.profile.ConfigException;
import io.edgegateway.profile.DeviceProfile;
import io.edgegateway.profile.ProfileCatalog;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code bin/gateway profiles}: lists the device profiles the gateway knows. */
final class ProfilesCommand implements Command {

    @Override
    public String name() {
        return "profiles";
    }

    @Override
    public String summary() {
        return "list the device profiles (shipped and from a directory)";
    }

    @Override
    public String help() {
        return """
                bin/gateway profiles [--profiles DIR]
                  Lists shipped profiles, plus every *.yaml in DIR (a profile there replaces a shipped one
                  of the same name).
                  Example:
                    bin/gateway profiles --profiles /etc/gateway/profiles
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        Options o = Options.parse(args, Set.of("profiles"), Set.of()).positionalCount(0, 0, "");
        ProfileCatalog catalog;
        try {
            catalog = catalog(o);
        } catch (ConfigException e) {
            err.println("gateway: " + e.getMessage());
            return CommandSet.USAGE;
        }
        for (DeviceProfile p : catalog.all()) {
            out.printf("%-14s %-6s %3d points  %s%n", p.name(), p.protocol().configName(), p.points().size(),
                    p.description());
        }
        return 0;
    }

    static ProfileCatalog catalog(Options o) {
        return o.value("profiles").map(d -> ProfileCatalog.withDirectory(Path.of(d))).orElseGet(ProfileCatalog::shipped);
    }
}
