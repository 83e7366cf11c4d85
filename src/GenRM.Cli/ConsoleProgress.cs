using GenRM.Training;

namespace GenRM.Cli;

/// <summary>
/// Training and sampling progress on standard error: on a terminal a live line per running phase
/// (<see cref="TerminalProgressArea"/>), otherwise a line each time a phase passes another tenth of its
/// steps (a log file, a test). Each phase has its own clock, since methods running side by side report in turn.
/// </summary>
internal sealed class ConsoleProgress : IProgress<TrainingProgress>
{
    readonly TextWriter error;
    readonly TimeProvider time;
    readonly TerminalProgressArea? area;
    readonly Dictionary<string, DateTime> starts = new(StringComparer.Ordinal);
    // The tenths of each phase already written as a line (off a terminal).
    readonly Dictionary<string, int> tenthsShown = new(StringComparer.Ordinal);

    public ConsoleProgress(TextWriter error, TimeProvider? clock = null)
        : this(error, ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected ? new TerminalProgressArea(error, TerminalWidth) : null, clock)
    {
    }

    /// <summary>Progress drawn in <paramref name="area"/> when given (a terminal), else written as lines to <paramref name="error"/>.</summary>
    internal ConsoleProgress(TextWriter error, TerminalProgressArea? area, TimeProvider? clock = null)
    {
        this.error = error;
        this.area = area;
        time = clock ?? TimeProvider.System;
    }

    // A terminal that cannot say its width (some emulators, a resized pane) gets the common 80 columns.
    static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth is > 0 and var columns ? columns : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }

    /// <summary>The command's log writer for the same screen: on a terminal its lines go above the progress lines.</summary>
    public TextWriter Above(TextWriter log) => area is null ? log : new AboveProgressWriter(area, log);

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
        if (area is not null)
        {
            area.Show(value.Phase, line, finished: value.Step == value.TotalSteps);
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
