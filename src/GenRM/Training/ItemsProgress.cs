using System.Diagnostics;

namespace GenRM.Training;

/// <summary>
/// Reports a phase that works through a known number of items (sequences sampled, pairs read): none
/// done when it starts, then the items done so far and the tokens per second of the work done here.
/// </summary>
internal sealed class ItemsProgress
{
    readonly IProgress<TrainingProgress>? sink;
    readonly string phase;
    readonly int total;
    readonly Stopwatch clock = Stopwatch.StartNew();
    int done;
    long tokens;

    public ItemsProgress(IProgress<TrainingProgress>? sink, string phase, int total)
    {
        (this.sink, this.phase, this.total) = (sink, phase, total);
        sink?.Report(TrainingProgress.Items(phase, 0, total, 0));
    }

    /// <summary><paramref name="items"/> more are done, for <paramref name="newTokens"/> tokens of work (0 for items taken from elsewhere).</summary>
    public void Advance(int items, long newTokens)
    {
        done += items;
        tokens += newTokens;
        sink?.Report(TrainingProgress.Items(phase, done, total, tokens / Math.Max(clock.Elapsed.TotalSeconds, 1e-9)));
    }
}
