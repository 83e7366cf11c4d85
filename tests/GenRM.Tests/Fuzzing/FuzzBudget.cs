using System.Globalization;

namespace GenRM.Tests.Fuzzing;

/// <summary>
/// How hard the fuzz tests push. The suite runs a short fixed-seed pass; <c>tools/fuzz.sh</c> sets
/// <c>GENRM_FUZZ_SECONDS</c> (per target) for a long run with fresh random seeds, and
/// <c>GENRM_FUZZ_CORPUS</c> to keep the crashing inputs it finds.
/// </summary>
internal static class FuzzBudget
{
    /// <summary>Inputs per target in the fixed-seed pass (<c>GENRM_FUZZ_ITERATIONS</c>, default 150).</summary>
    public static int Iterations => Number("GENRM_FUZZ_ITERATIONS", 150);

    /// <summary>Seconds per target of the long random run; 0 (the default) runs the fixed-seed pass instead.</summary>
    public static int Seconds => Number("GENRM_FUZZ_SECONDS", 0);

    /// <summary>Where crashing inputs are written, one folder per target.</summary>
    public static string FailureFolder =>
        Environment.GetEnvironmentVariable("GENRM_FUZZ_CORPUS") is { Length: > 0 } folder ? folder : Path.Combine(Path.GetTempPath(), "genrm-fuzz-failures");

    /// <summary>A file to append one summary line per target to (<c>GENRM_FUZZ_REPORT</c>), or null.</summary>
    public static string? ReportFile => Environment.GetEnvironmentVariable("GENRM_FUZZ_REPORT") is { Length: > 0 } file ? file : null;

    /// <summary>The longest one input may take before it counts as a hang (generous: the machine is shared).</summary>
    public static TimeSpan PerInputTimeout { get; } = TimeSpan.FromSeconds(15);

    static int Number(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
