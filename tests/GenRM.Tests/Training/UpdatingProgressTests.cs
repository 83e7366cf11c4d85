using GenRM.Training;

namespace GenRM.Tests.Training;

/// <summary>The notebooks' updating progress line: the console's line, throttled, every phase's first and last step always shown.</summary>
public sealed class UpdatingProgressTests
{
    /// <summary>A clock that moves only when told.</summary>
    sealed class ManualClock : TimeProvider
    {
        long ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => ticks;

        public void Advance(double seconds) => ticks += (long)(seconds * TimeSpan.TicksPerSecond);
    }

    static TrainingProgress Step(string phase, int step, int total) => new(phase, step, total, 0.5, 2e-4, 4000);

    [Fact]
    public void ReportsInsideTheIntervalAreDroppedButEachPhasesFirstAndLastStepShow()
    {
        var clock = new ManualClock();
        var shown = new List<string>();
        var progress = new UpdatingProgress(shown.Add, TimeSpan.FromSeconds(1), clock);

        progress.Report(Step("bt", 1, 4));
        clock.Advance(0.2);
        progress.Report(Step("bt", 2, 4));
        clock.Advance(1.0);
        progress.Report(Step("bt", 3, 4));
        clock.Advance(0.1);
        progress.Report(Step("bt", 4, 4));
        progress.Report(Step("sft", 1, 2));

        Assert.Equal(["bt 1/4", "bt 3/4", "bt 4/4", "sft 1/2"], shown.Select(l => string.Join(' ', l.Split(' ')[1..3])));
        Assert.Equal(shown[^1], progress.Last);
    }

    [Fact]
    public void TheLineHasTheBarTheStepTheLossAndTheTimeLeftInThePhase()
    {
        var clock = new ManualClock();
        var shown = new List<string>();
        var progress = new UpdatingProgress(shown.Add, TimeSpan.Zero, clock);

        progress.Report(Step("genrm", 1, 4));
        clock.Advance(3);
        progress.Report(Step("genrm", 2, 4));

        Assert.Equal("[############............] genrm 2/4 loss 0.500 lr 2.0E-004 4.0k tok/s 3s, ~3s left", shown[^1]);
        Assert.StartsWith("[######..................] genrm 1/4", shown[0], StringComparison.Ordinal);
    }
}
