using TrainingProgress = GenRM.Training.TrainingProgress;
using static System.FormattableString;

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
        double elapsed = (DateTime.UtcNow - start).TotalSeconds;
        double remaining = elapsed / value.Step * (value.TotalSteps - value.Step);
        string line = Invariant($"{value.Phase} {value.Step}/{value.TotalSteps} loss {value.Loss:F3} lr {value.LearningRate:E1} {value.TokensPerSecond / 1000:F1}k tok/s {elapsed:F0}s, ~{remaining:F0}s left");
        if (terminal)
        {
            const int Width = 24;
            int filled = (int)Math.Round(Width * (double)value.Step / value.TotalSteps);
            error.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {line}   ");
            if (value.Step == value.TotalSteps) error.WriteLine();
        }
        else if (value.Step == value.TotalSteps || value.Step % Math.Max(1, value.TotalSteps / 10) == 0)
        {
            error.WriteLine(line);
        }
    }
}
