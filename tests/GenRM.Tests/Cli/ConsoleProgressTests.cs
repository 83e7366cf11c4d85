using GenRM.Cli;
using GenRM.Training;

namespace GenRM.Tests.Cli;

public sealed class ConsoleProgressTests
{
    sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>Methods run side by side (reproduce --workers) report in turn: each phase's time counts from its own first step.</summary>
    [Fact]
    public void InterleavedPhasesEachKeepTheirOwnClock()
    {
        var output = new StringWriter();
        var clock = new ManualClock();
        var progress = new ConsoleProgress(output, clock);
        static TrainingProgress At(string phase, int step) => new(phase, step, 10, 0.5, 1e-4, 1000);

        progress.Report(At("star-sft-1", 1));
        clock.Now += TimeSpan.FromSeconds(4);
        progress.Report(At("star-dpo-1", 1));
        clock.Now += TimeSpan.FromSeconds(6);
        progress.Report(At("star-sft-1", 5));
        progress.Report(At("star-dpo-1", 5));

        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(4, lines.Length);
        Assert.Contains("star-sft-1 5/10 loss 0.500 lr 1.0E-004 1.0k tok/s 10s, ~10s left", lines[2], StringComparison.Ordinal);
        Assert.Contains("star-dpo-1 5/10 loss 0.500 lr 1.0E-004 1.0k tok/s 6s, ~6s left", lines[3], StringComparison.Ordinal);
    }

    /// <summary>A sampling phase moves a batch at a time and has no loss: a line each time it passes another tenth.</summary>
    [Fact]
    public void ASamplingPhaseWritesALineForEachTenthItPassesWithoutLossOrLearningRate()
    {
        var output = new StringWriter();
        var clock = new ManualClock();
        var progress = new ConsoleProgress(output, clock);

        progress.Report(TrainingProgress.Items("star-dpo sampling", 0, 200, 0));
        foreach (int done in new[] { 64, 128, 192, 200 })
        {
            clock.Now += TimeSpan.FromSeconds(8);
            progress.Report(TrainingProgress.Items("star-dpo sampling", done, 200, 1600));
        }

        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(4, lines.Length);
        Assert.EndsWith("star-dpo sampling 64/200 1.6k tok/s 8s, ~17s left", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("star-dpo sampling 200/200 1.6k tok/s 32s, ~0s left", lines[3], StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", output.ToString(), StringComparison.Ordinal);
    }
}
