package io.edgegateway.bench.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/** What Linux's /proc says of a process: CPU time and resident memory, for any program a benchmark starts. */
public final class ProcFs {

    /** Clock ticks per second of /proc/PID/stat times: 100 on every Linux this runs on (USER_HZ). */
    public static final int TICKS_PER_SECOND = 100;

    private ProcFs() {
    }

    /** User plus system CPU time of the process, in clock ticks. */
    public static long cpuTicks(long pid) throws IOException {
        return ticks(Files.readString(Path.of("/proc/" + pid + "/stat")));
    }

    /**
     * User plus system CPU time of each of the process's threads whose name (as Linux keeps it, at most 15
     * characters) {@code name} accepts, in clock ticks, by thread id. A thread that ended is not listed, and its
     * time with it.
     */
    public static Map<Long, Long> threadCpuTicks(long pid, Predicate<String> name) throws IOException {
        Map<Long, Long> out = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    if (name.test(Files.readString(task.resolve("comm")).strip())) {
                        out.put(Long.parseLong(task.getFileName().toString()),
                                ticks(Files.readString(task.resolve("stat"))));
                    }
                } catch (NoSuchFileException e) {
                    // the thread ended while the list was read
                }
            }
        }
        return out;
    }

    private static long ticks(String stat) {
        // The command name (field 2) may hold spaces; fields are counted after its closing parenthesis.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime: fields 14 and 15
    }

    /** What /proc/PID/status says of memory and threads. */
    public record Status(long rssKb, int threads) {
    }

    public static Status status(long pid) throws IOException {
        long rss = -1;
        int threads = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
            } else if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
            }
        }
        if (rss < 0) {
            throw new IOException("no VmRSS for process " + pid);
        }
        return new Status(rss, threads);
    }

    /** Resident set size in KB. */
    public static long rssKb(long pid) throws IOException {
        return status(pid).rssKb();
    }
}
