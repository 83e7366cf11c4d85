using System.Text.RegularExpressions;
using GenRM.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRM.Benchmarks;

/// <summary>
/// What the machine does in dense products, per dtype: the best of libtorch's matmul and, on the
/// CPU, a direct OpenBLAS call; in bf16 at least the fp32 rate (bf16 widens exactly to fp32).
/// Training rates are divided by it as well as by libtorch's matmul, since a ratio to a matmul that
/// is itself below the hardware flatters the step.
/// </summary>
internal sealed partial class HardwareRate
{
    readonly Dictionary<string, double> rates;

    /// <summary>The hardware figures (and OpenBLAS's own when it ran).</summary>
    public IReadOnlyList<BenchFigure> Figures { get; }

    /// <summary>Which measurement gave each dtype's rate.</summary>
    public string Source { get; }

    HardwareRate(Dictionary<string, double> rates, IReadOnlyList<BenchFigure> figures, string source) =>
        (this.rates, Figures, Source) = (rates, figures, source);

    /// <summary>Measures OpenBLAS beside <paramref name="matmul"/>'s last readings (CPU only).</summary>
    public static HardwareRate Measure(BenchConfig config, Device device, MatmulBench matmul, TextWriter? log)
    {
        var figures = new List<BenchFigure>();
        var best = new Dictionary<string, (double Rate, string From)>
        {
            ["fp32"] = (matmul.Median(ScalarType.Float32), "libtorch"),
            ["bf16"] = (matmul.Median(ScalarType.BFloat16), "libtorch"),
        };
        string library = "no OpenBLAS found";
        if (device.type == DeviceType.CPU && OpenBlasProbe.TryLoad(config.Threads) is { } openBlas)
        {
            using (openBlas)
            {
                library = openBlas.LibraryName;
                void Add(string dtype, double? rate)
                {
                    if (rate is not double r) return;
                    figures.Add(new BenchFigure($"openblas_{dtype}_gflops", r / 1e9, "GFLOP/s", $"{config.MatmulSize}^2 {dtype} product through OpenBLAS's cblas ({openBlas.LibraryName}), median"));
                    if (r > best[dtype].Rate) best[dtype] = (r, "OpenBLAS");
                }
                Add("fp32", openBlas.Fp32FlopsPerSecond(config.MatmulSize, config.MatmulRepeats, config.Seed));
                Add("bf16", openBlas.Bf16FlopsPerSecond(config.MatmulSize, config.MatmulRepeats, config.Seed));
            }
        }
        // bf16 inputs widen exactly to fp32, so the machine multiplies them at least at its fp32 rate;
        // that is all a CPU without bf16 instructions can do, and libtorch's fallback there is far below it.
        double libtorchSlowdown = matmul.Median(ScalarType.Float32) / matmul.Median(ScalarType.BFloat16);
        if (libtorchSlowdown > CpuBf16.WarnAbove)
            log?.WriteLine($"  bf16: libtorch's product is {libtorchSlowdown:F0}x slower than its fp32 one here (a fallback kernel: no bf16 instructions); the bf16 training figures measure that fallback");
        if (best["fp32"].Rate > best["bf16"].Rate)
            best["bf16"] = (best["fp32"].Rate, $"fp32 products of widened bf16, {best["fp32"].From}");
        foreach (var (dtype, (rate, from)) in best)
        {
            figures.Add(new BenchFigure($"hardware_{dtype}_gflops", rate / 1e9, "GFLOP/s", $"the machine's {dtype} product rate: the best of libtorch and OpenBLAS ({from})"));
            log?.WriteLine($"  hardware {dtype}: {rate / 1e9:F0} GFLOP/s ({from})");
        }
        string source = string.Join(", ", best.Select(b => $"{b.Key} {b.Value.From}")) + $"; {library}";
        return new HardwareRate(best.ToDictionary(b => b.Key, b => b.Value.Rate), figures, source);
    }

    /// <summary>For every training rate <c>train_KIND_DTYPE_gflops</c>, its ratio to the hardware's rate in that dtype.</summary>
    public IEnumerable<BenchFigure> Ratios(IEnumerable<BenchFigure> training)
    {
        foreach (BenchFigure figure in training)
            if (TrainingRate().Match(figure.Key) is { Success: true } match && rates.TryGetValue(match.Groups["dtype"].Value, out double rate))
                yield return new BenchFigure($"{match.Groups["name"].Value}_ratio_to_hardware", figure.Value * 1e9 / rate, "x",
                    $"model FLOP/s over the machine's {match.Groups["dtype"].Value} product rate");
    }

    [GeneratedRegex("^(?<name>train_[a-z]+_(?<dtype>fp32|bf16))_gflops$")]
    private static partial Regex TrainingRate();
}
