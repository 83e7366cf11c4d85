using System.Diagnostics;

namespace GenRM.Cli;

/// <summary>
/// The process a memory measurement runs in: its allocator and its JIT. glibc's malloc keeps what a
/// training step frees in its heap (the resident size of a LoRA step measured 2 to 4 times the bytes
/// ever live at once, with or without a fixed mmap threshold), so its high-water mark is not the step's peak. jemalloc with
/// both decay times at 0 hands freed pages back at once, so VmHWM follows the live bytes, which is what
/// the plan estimates (and what CUDA's max_memory_allocated reports). Debian: libjemalloc2.
/// </summary>
internal static class MeasurementEnvironment
{
    static readonly string[] JemallocPaths =
    [
        "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
        "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2",
        "/usr/lib64/libjemalloc.so.2",
        "/usr/lib/libjemalloc.so.2",
    ];

    /// <summary>jemalloc's library, or null where it is not installed.</summary>
    public static string? Jemalloc => JemallocPaths.FirstOrDefault(File.Exists);

    /// <summary>
    /// Runs the child under jemalloc when present (otherwise under glibc with a fixed mmap threshold,
    /// the nearest it comes), and with every method compiled once, fully optimised, at its first call,
    /// which the measurement's warm-up makes: with tiered compilation the hot methods are compiled
    /// again during the measured run, and that JIT memory (about 6 MiB, the same for any model) was
    /// counted against the model.
    /// </summary>
    public static void Apply(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.Environment["DOTNET_TieredCompilation"] = "0";
        if (Jemalloc is { } library)
        {
            start.Environment["LD_PRELOAD"] = library;
            start.Environment["MALLOC_CONF"] = "dirty_decay_ms:0,muzzy_decay_ms:0";
        }
        else
        {
            start.Environment["MALLOC_MMAP_THRESHOLD_"] = "131072";
        }
    }

    /// <summary>The allocator this process runs under, as the measurement reports it.</summary>
    public static string InThisProcess() =>
        File.Exists("/proc/self/maps") && File.ReadLines("/proc/self/maps").Any(l => l.Contains("libjemalloc", StringComparison.Ordinal))
            ? "jemalloc" : "glibc";
}
