package io.llmgw.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time from Linux {@code /proc}: the whole machine's busy time and named processes' own
 * time, so a report can show who used the CPUs during a measurement (on a shared machine, a
 * busy neighbour explains a bad tail). Absent (null snapshots) where {@code /proc} is not there.
 */
final class CpuUsage {
    /** USER_HZ: the unit of /proc times; 100 on every mainstream Linux. */
    private static final double TICKS_PER_SECOND = 100.0;

    private CpuUsage() {}

    /** Ticks: machine busy, machine total, and each named process (self included as "client"). */
    record Snapshot(long nanoTime, long busy, long total, Map<String, Long> processes, Map<Long, Long> all) {}

    /**
     * CPUs' worth of time used per second over an interval, by the machine and by each named process.
     *
     * @param otherCores the other processes: the larger of the machine's busy time less the named
     *                   processes, and the sum over every other process still alive at the end
     */
    record Usage(double seconds, double busyCores, Map<String, Double> processCores, double otherCores) {
        double others() {
            return otherCores;
        }
    }

    static Snapshot take(Map<String, Long> pids) {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            long idle = 0;
            for (int i = 1; i < cpu.length && i <= 8; i++) {
                long v = Long.parseLong(cpu[i]);
                total += v;
                if (i == 4 || i == 5) { // idle, iowait
                    idle += v;
                }
            }
            Map<String, Long> processes = new LinkedHashMap<>();
            processes.put("client", processTicks("self"));
            pids.forEach((name, pid) -> processes.put(name, processTicks(Long.toString(pid))));
            Map<Long, Long> all = new java.util.HashMap<>();
            try (var dir = Files.newDirectoryStream(Path.of("/proc"), entry -> entry.getFileName().toString().matches("\\d+"))) {
                for (Path entry : dir) {
                    long ticks = processTicks(entry.getFileName().toString());
                    if (ticks >= 0) {
                        all.put(Long.parseLong(entry.getFileName().toString()), ticks);
                    }
                }
            }
            all.remove(ProcessHandle.current().pid());
            pids.values().forEach(all::remove);
            return new Snapshot(System.nanoTime(), total - idle, total, processes, all);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static Usage between(Snapshot a, Snapshot b) {
        if (a == null || b == null || b.nanoTime() <= a.nanoTime()) {
            return null;
        }
        double seconds = (b.nanoTime() - a.nanoTime()) / 1e9;
        Map<String, Double> cores = new LinkedHashMap<>();
        a.processes().forEach((name, before) -> {
            Long after = b.processes().get(name);
            if (before >= 0 && after != null && after >= before) {
                cores.put(name, (after - before) / TICKS_PER_SECOND / seconds);
            }
        });
        double busy = (b.busy() - a.busy()) / TICKS_PER_SECOND / seconds;
        long otherTicks = 0;
        for (var entry : b.all().entrySet()) {
            otherTicks += Math.max(0, entry.getValue() - a.all().getOrDefault(entry.getKey(), 0L));
        }
        double known = cores.values().stream().mapToDouble(Double::doubleValue).sum();
        double others = Math.max(busy - known, otherTicks / TICKS_PER_SECOND / seconds);
        return new Usage(seconds, busy, cores, Math.max(0, others));
    }

    private static long processTicks(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(rest[11]) + Long.parseLong(rest[12]); // utime, stime
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
