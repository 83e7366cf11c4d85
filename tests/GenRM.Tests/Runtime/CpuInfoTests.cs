using System.Runtime.InteropServices;
using GenRM.Runtime;

namespace GenRM.Tests.Runtime;

public sealed class CpuInfoTests
{
    static string Prefix(string model) =>
        $"{model}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()} with ";

    [Theory]
    [InlineData("AMD EPYC", "sse sse2 avx avx2 fma", "avx2 fma (no avx512f)")]
    [InlineData("Intel Xeon Processor", "avx2 fma avx512f avx512bw avx512_bf16", "avx2 fma avx512f avx512_bf16")]
    [InlineData("Old CPU", "sse sse2", "no avx2")]
    [InlineData("aarch64", "", "features unknown")]
    public void ARunNamesTheCpuModelAndTheVectorFeaturesThatPickItsKernels(string model, string flags, string features)
    {
        var cpu = new CpuInfo(model, flags.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal));
        Assert.Equal(Prefix(model) + features, cpu.Describe());
    }
}
