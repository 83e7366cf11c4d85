using GenRM.Training;

namespace GenRM.Cli;

/// <summary>
/// Training and sampling progress on standard error: one updating bar on a terminal, otherwise a line
/// every 10 % of a phase's steps (a log file, a test). Each phase has its own clock, since methods running
/// side by side report in turn (the bar then shows whichever reported last, named by its phase).
/// </summary>
internal sealed class ConsoleProgress(TextWriter error, TimeProvider? clock = null) : IProgress<TrainingProgress>
{
    readonly TimeProvider time = clock ?? TimeProvider.System;
    readonly bool terminal = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
    readonly Dictionary<string, DateTime> starts = new(StringComparer.Ordinal);
    // The tenths of each phase already written as a line (off a terminal).
    readonly Dictionary<string, int> tenthsShown = new(StringComparer.Ordinal);

    public void Report(TrainingProgress value)
    {
        lock (starts) Write(value);
    }

    void Write(TrainingProgress value)
    {
        DateTime now = time.GetUtcNow().UtcDateTime;
        if (value.Step <= 1 || !starts.TryGetValue(value.Phase, out DateTime start))
        {
            starts[value.Phase] = start = now;
            tenthsShown[value.Phase] = 0;
        }
        string line = ProgressLine.Format(value, now - start);
        if (terminal)
        {
            error.Write($"\r{line}   ");
            if (value.Step == value.TotalSteps) error.WriteLine();
            return;
        }
        // A line each time the phase passes another tenth (a sampling phase moves a batch at a time), and at its end.
        int tenths = value.TotalSteps <= 0 ? 10 : (int)(10L * value.Step / value.TotalSteps);
        if (value.Step > 0 && (tenths > tenthsShown[value.Phase] || value.Step == value.TotalSteps))
        {
            tenthsShown[value.Phase] = tenths;
            error.WriteLine(line);
        }
    }
}
