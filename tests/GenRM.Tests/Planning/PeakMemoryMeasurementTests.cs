using System.Text.Json.Nodes;
using GenRM.Cli;
using GenRM.Planning;
using GenRM.Tests.Cli;

namespace GenRM.Tests.Planning;

/// <summary>
/// The plan against a real peak: one MiniWorld training step per scenario, or one sampling batch, measured by
/// <c>genrm plan --measure-one</c> in a fresh process under jemalloc (the live peak), must be within
/// 15 % of the plan's estimate for the same case.
/// </summary>
public sealed class PeakMemoryMeasurementTests
{
    [SkippableTheory]
    [InlineData("bradley-terry")]
    [InlineData("sft")]
    [InlineData("dpo")]
    [InlineData("sft-lora")]
    [InlineData("sampling")]
    public void APhasePeaksWithinFifteenPercentOfItsPlan(string scenario)
    {
        Skip.If(MeasurementEnvironment.Jemalloc is null,
            "jemalloc is not installed (Debian: libjemalloc2, which tools/install-prerequisites.sh installs): under glibc's malloc the resident peak keeps freed tensors and is not the live peak.");
        var size = PeakMemoryProbe.Sizes.Single(s => s.Name == "miniworld-default");
        using var child = CliProcess.Start(MeasurementEnvironment.Apply, "plan", "--measure-one", $"{size.Name}/{scenario}");
        var (code, output) = child.WaitToEnd();
        Assert.True(code == 0, $"genrm exited with {code}:\n{output}");
        var result = JsonNode.Parse(output.Split('\n').Last(l => l.StartsWith('{')))!;
        Assert.Equal("jemalloc", result["allocator"]!.GetValue<string>());
        long measured = result["peak_bytes"]!.GetValue<long>();
        long estimated = PeakMemoryProbe.Estimate(size, scenario, AttentionKernel.Fused).Parts.Total;
        double error = (double)estimated / measured - 1;
        Assert.True(Math.Abs(error) <= 0.15, $"{scenario}: estimated {ByteSize.Format(estimated)}, measured {ByteSize.Format(measured)} ({error:+0%;-0%}).");
    }
}
