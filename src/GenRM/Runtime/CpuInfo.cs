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
        string features = Flags.Count == 0 ? "features unknown"
            : string.Join(' ', VectorFeatures.Where(Has)) is { Length: > 0 } named ? named + (Has("avx512f") ? "" : " (no avx512f)") : "no avx2";
        return string.Create(CultureInfo.InvariantCulture,
            $"{Model}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()} with {features}");
    }

    static CpuInfo Read()
    {
        const string Path = "/proc/cpuinfo";
        string architecture = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        if (!File.Exists(Path)) return new CpuInfo(architecture, new HashSet<string>());
        string? Field(string name) => File.ReadLines(Path).FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal)) is { } line
            ? line[(line.IndexOf(':') + 1)..].Trim() : null;
        var flags = (Field("flags") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return new CpuInfo(Field("model name") is { Length: > 0 } model ? model : architecture, flags);
    }
}
