using static System.FormattableString;

namespace GenRM.Training;

/// <summary>
/// One progress line, the same on a terminal and in a notebook: a bar, the phase and step, loss and
/// learning rate (training), throughput, and the time spent and left in the phase.
/// </summary>
public static class ProgressLine
{
    const int BarWidth = 24;

    /// <summary>
    /// "[######..........] phase 3/12 loss 0.693 lr 2.0E-004 4.1k tok/s 3s, ~9s left"; a sampling phase
    /// has no loss or learning rate: "[###.............] star-dpo sampling 640/4000 6.2k tok/s 9s, ~47s left".
    /// </summary>
    public static string Format(TrainingProgress value, TimeSpan elapsedInPhase)
    {
        ArgumentNullException.ThrowIfNull(value);
        double elapsed = elapsedInPhase.TotalSeconds;
        double remaining = value.Step <= 0 ? double.NaN : elapsed / value.Step * (value.TotalSteps - value.Step);
        string optimizer = double.IsNaN(value.Loss) && double.IsNaN(value.LearningRate) ? "" : Invariant($" loss {value.Loss:F3} lr {value.LearningRate:E1}");
        string left = double.IsNaN(remaining) ? "" : Invariant($", ~{remaining:F0}s left");
        return $"{Bar(value)} {Invariant($"{value.Phase} {value.Step}/{value.TotalSteps}{optimizer} {value.TokensPerSecond / 1000:F1}k tok/s {elapsed:F0}s{left}")}";
    }

    /// <summary>The bar alone: '#' for the share of steps done.</summary>
    public static string Bar(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int filled = value.TotalSteps <= 0 ? 0 : (int)Math.Round(BarWidth * Math.Clamp((double)value.Step / value.TotalSteps, 0, 1));
        return $"[{new string('#', filled)}{new string('.', BarWidth - filled)}]";
    }
}

/// <summary>
/// Training progress as one line that is replaced in place: each report becomes a
/// <see cref="ProgressLine"/> passed to <paramref name="update"/>, e.g. a notebook's
/// <c>var shown = display("..."); new UpdatingProgress(line => shown.Update(line))</c>. Updates come
/// at most every <paramref name="minimumInterval"/> (default half a second), except a phase's first
/// and last step, which always show; the clock restarts with each phase.
/// </summary>
public sealed class UpdatingProgress(Action<string> update, TimeSpan? minimumInterval = null, TimeProvider? clock = null) : IProgress<TrainingProgress>
{
    readonly TimeSpan interval = minimumInterval ?? TimeSpan.FromSeconds(0.5);
    readonly TimeProvider time = clock ?? TimeProvider.System;
    string? phase;
    long phaseStart, lastShown;

    /// <summary>The last line shown, or null before the first report.</summary>
    public string? Last { get; private set; }

    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        long now = time.GetTimestamp();
        bool newPhase = value.Phase != phase;
        if (newPhase)
        {
            phase = value.Phase;
            phaseStart = now;
        }
        bool last = value.Step >= value.TotalSteps;
        if (!newPhase && !last && time.GetElapsedTime(lastShown, now) < interval)
            return;
        lastShown = now;
        Last = ProgressLine.Format(value, time.GetElapsedTime(phaseStart, now));
        update(Last);
    }
}
