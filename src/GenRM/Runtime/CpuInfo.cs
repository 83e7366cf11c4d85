using System.Globalization;
using System.Runtime.InteropServices;

namespace GenRM.Runtime;

/// <summary>
/// The CPU this process runs on, as Linux's /proc/cpuinfo names it: its model and the vector
/// features that decide which kernels libtorch, MKL and OpenBLAS take. Those kernels sum in different
/// orders, so a seed's numbers are reproducible on the same kind of CPU, and a run records which.
/// </summary>
public sealed record CpuInfo(string Model, IReadOnlySet<string> Flags)
{
    /// <summary>The vector features worth naming, widest last.</summary>
    static readonly string[] VectorFeatures = ["avx2", "fma", "avx512f", "avx512_bf16", "amx_bf16"];

    static readonly Lazy<CpuInfo> ThisMachine = new(Read);

    /// <summary>This machine's CPU; an empty flag set and the architecture as model where /proc/cpuinfo is missing.</summary>
    public static CpuInfo Current => ThisMachine.Value;

    public bool Has(string flag) => Flags.Contains(flag);

    /// <summary>e.g. "AMD EPYC, 2 logical cores, x64 with avx2 fma (no avx512f)".</summary>
    public string Describe()
    {
        string named = string.Join(' ', VectorFeatures.Where(Has));
        string features = Flags.Count == 0 ? "features unknown"
            : named.Length == 0 ? "no avx2"
            : Has("avx512f") ? named
            : named + " (no avx512f)";
        return string.Create(CultureInfo.InvariantCulture, $"{Model}, {Environment.ProcessorCount} logical cores, {Architecture} with {features}");
    }

    static string Architecture => RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();

    // The first "model name" and "flags" lines (every core repeats them), read in one pass.
    static CpuInfo Read()
    {
        const string Path = "/proc/cpuinfo";
        string? model = null, flags = null;
        if (File.Exists(Path))
            foreach (string line in File.ReadLines(Path))
            {
                string Value() => line[(line.IndexOf(':') + 1)..].Trim();
                if (model is null && line.StartsWith("model name", StringComparison.Ordinal)) model = Value();
                else if (flags is null && line.StartsWith("flags", StringComparison.Ordinal)) flags = Value();
                if (model is not null && flags is not null) break;
            }
        return new CpuInfo(model is { Length: > 0 } ? model : Architecture,
            (flags ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal));
    }
}
