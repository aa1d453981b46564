package io.edgegateway.bench.acting;

import io.edgegateway.command.Options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * {@code bin/bench acting}: what the gateway's acting costs, each figure beside a baseline measured in the same
 * run: alert rules on the poll path against the hub alone ({@link AlertCost}), and a write through the REST route
 * against the driver's own three exchanges ({@link WriteCost}). Asserts nothing.
 */
public final class ActingBenchmark {

    public int run(List<String> args) throws Exception {
        Options o = Options.parse(args, Set.of("meters", "rounds", "warmup", "polls", "writes", "only"), Set.of())
                .positionalCount(0, 0, "");
        int meters = o.integer("meters", 500, 1, 10_000);
        int rounds = o.integer("rounds", 5, 1, 100);
        int warmup = o.integer("warmup", 2, 0, 100);
        int polls = o.integer("polls", 40, 1, 10_000);
        int writes = o.integer("writes", 500, 2, 100_000);
        String only = o.value("only", "both");
        if (!Set.of("both", "alerts", "writes").contains(only)) {
            throw new IllegalArgumentException("--only is alerts, writes or both, not '" + only + "'");
        }
        Path dir = Files.createTempDirectory("bench-acting");
        try {
            if (!only.equals("writes")) {
                new AlertCost(meters, rounds, warmup, polls).run(dir.resolve("alerts"));
            }
            if (!only.equals("alerts")) {
                new WriteCost(writes, rounds, warmup).run(dir.resolve("writes"));
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        return 0;
    }
}
