using static TorchSharp.torch;

namespace GenRM.Benchmarks;

/// <summary>
/// The machine's dense matrix-multiply rate through TorchSharp: the reference the training rates are
/// compared with. It is measured again right before each training measurement, so a ratio compares
/// two rates taken under the same load from other processes; every reading is kept.
/// </summary>
internal sealed class MatmulBench(BenchConfig config, Device device)
{
    readonly Dictionary<ScalarType, List<double>> readings = [];

    /// <summary>Measures the rate in <paramref name="dtype"/> now, records it and returns it (FLOP/s).</summary>
    public double Measure(ScalarType dtype)
    {
        double rate = FlopsPerSecond(config.MatmulSize, dtype, config.MatmulRepeats, device, config.Seed);
        if (!readings.TryGetValue(dtype, out var list)) readings[dtype] = list = [];
        list.Add(rate);
        return rate;
    }

    /// <summary>The median of every reading in <paramref name="dtype"/> (FLOP/s).</summary>
    public double Median(ScalarType dtype) => BenchTiming.Median(readings[dtype]);

    /// <summary>FLOP/s of an n × n by n × n matmul (2n³ FLOPs) in <paramref name="dtype"/>, median over repeats (plus one, which also warms up).</summary>
    static double FlopsPerSecond(int n, ScalarType dtype, int repeats, Device device, long seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed, device);
        Tensor a = randn([n, n], dtype: ScalarType.Float32, device: device, generator: generator).to(dtype);
        Tensor b = randn([n, n], dtype: ScalarType.Float32, device: device, generator: generator).to(dtype);
        double seconds = BenchTiming.MedianSeconds(device, repeats + 1, () =>
        {
            using var step = NewDisposeScope();
            a.matmul(b);
        });
        return 2.0 * n * n * n / seconds;
    }
}
