package io.edgegateway.packaging;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the source tree the tests run in (surefire's working directory is this module). */
final class SourceTree {

    /** The systemd module: unit files, install script, example config. */
    static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    /** The repository root: bin/, gateway/, simulators/. */
    static final Path ROOT = MODULE.getParent();

    static final Path GATEWAY_JAR = ROOT.resolve("gateway/launcher/target/gateway.jar");
    static final Path SIMULATOR_JAR = ROOT.resolve("gateway/launcher/target/gateway-simulator.jar");
    static final Path GATEWAY_LIB = ROOT.resolve("gateway/launcher/target/lib");

    private SourceTree() {
    }

    /** The jars install.sh copies exist (the reactor packages gateway and simulators before this module). */
    static boolean jarsBuilt() {
        return Files.isRegularFile(GATEWAY_JAR) && Files.isRegularFile(SIMULATOR_JAR) && Files.isDirectory(GATEWAY_LIB);
    }
}
