using static TorchSharp.torch;

namespace GenRM.Benchmarks;

/// <summary>The machine's dense matrix-multiply rate through TorchSharp: the reference the training rates are compared with.</summary>
internal static class MatmulBench
{
    /// <summary>FLOP/s of an n × n by n × n matmul (2n³ FLOPs) in <paramref name="dtype"/>, median over repeats (plus one, which also warms up).</summary>
    public static double FlopsPerSecond(int n, ScalarType dtype, int repeats, Device device, long seed)
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
