using GenRM.Training;

namespace GenRM.Cli;

/// <summary>
/// Training progress on standard error: one updating bar on a terminal, otherwise a line every
/// 10 % of a phase's steps (a log file, a test). The clock restarts with each phase.
/// </summary>
internal sealed class ConsoleProgress(TextWriter error) : IProgress<TrainingProgress>
{
    readonly bool terminal = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
    string? phase;
    DateTime start;

    public void Report(TrainingProgress value)
    {
        if (value.Phase != phase)
        {
            phase = value.Phase;
            start = DateTime.UtcNow;
        }
        string line = ProgressLine.Format(value, DateTime.UtcNow - start);
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
