using GenRM.Training;

namespace GenRM.Cli;

/// <summary>
/// Training progress on standard error: one updating bar on a terminal, otherwise a line every
/// 10 % of a phase's steps (a log file, a test). Each phase has its own clock, since methods running
/// side by side report in turn (the bar then shows whichever reported last, named by its phase).
/// </summary>
internal sealed class ConsoleProgress(TextWriter error, TimeProvider? clock = null) : IProgress<TrainingProgress>
{
    readonly TimeProvider time = clock ?? TimeProvider.System;
    readonly bool terminal = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
    readonly Dictionary<string, DateTime> starts = new(StringComparer.Ordinal);

    public void Report(TrainingProgress value)
    {
        lock (starts) Write(value);
    }

    void Write(TrainingProgress value)
    {
        DateTime now = time.GetUtcNow().UtcDateTime;
        if (value.Step <= 1 || !starts.TryGetValue(value.Phase, out DateTime start))
            starts[value.Phase] = start = now;
        string line = ProgressLine.Format(value, now - start);
        if (terminal)
        {
            error.Write($"\r{line}   ");
            if (value.Step == value.TotalSteps) error.WriteLine();
        }
        else if (value.Step == value.TotalSteps || value.Step % Math.Max(1, value.TotalSteps / 10) == 0)
        {
            error.WriteLine(line);
        }
    }
}
