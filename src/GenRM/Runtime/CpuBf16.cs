using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRM.Runtime;

/// <summary>
/// How much slower libtorch multiplies bf16 matrices than fp32 ones on this CPU, measured once per
/// process. On a CPU without bf16 instructions (no avx512_bf16 or amx_bf16, e.g. an AVX2-only AMD
/// Zen 3) libtorch takes a fallback kernel: 0.95 GFLOP/s against 154 in fp32 on this project's 2-core
/// machine, so a bf16 run there is one or two orders of magnitude slower than the same run in fp32.
/// </summary>
public static class CpuBf16
{
    /// <summary>A slowdown above this is worth a warning: bf16 on CPUs with bf16 support measured 1.2-1.8x (oneDNN's small bf16 products).</summary>
    public const double WarnAbove = 4;

    const int Size = 256, Repeats = 5;

    static readonly Lazy<double> Measured = new(Measure);

    /// <summary>fp32's product rate over bf16's, each the median of six timed 256² products (the first warms up).</summary>
    public static double SlowdownOverFp32 => Measured.Value;

    /// <summary>
    /// Writes one warning line to <paramref name="log"/> when <paramref name="dtype"/> is bf16 on the
    /// CPU and bf16 products here are over <see cref="WarnAbove"/> times slower than fp32 ones;
    /// <paramref name="what"/> names the work, <paramref name="remedy"/> says how to ask for fp32.
    /// </summary>
    public static void Warn(Device device, ScalarType dtype, string what, string remedy, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (device.type != DeviceType.CPU || dtype != ScalarType.BFloat16 || SlowdownOverFp32 <= WarnAbove) return;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"warning: {what} in bf16 on a CPU where libtorch multiplies bf16 matrices {SlowdownOverFp32:F0}x slower than fp32 (measured now; without bf16 instructions it takes a fallback kernel), so it will run far slower than in fp32; {remedy}"));
    }

    static double Measure()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var generator = new Generator(1);
        Tensor a = randn([Size, Size], generator: generator), b = randn([Size, Size], generator: generator);
        return Seconds(a.to(ScalarType.BFloat16), b.to(ScalarType.BFloat16)) / Seconds(a, b);
    }

    // The median of six timings, the first of which warms up (as MatmulBench times its products).
    static double Seconds(Tensor a, Tensor b) => Benchmarks.BenchTiming.MedianSeconds(CPU, Repeats + 1, () =>
    {
        using var step = NewDisposeScope();
        a.matmul(b);
    });
}
