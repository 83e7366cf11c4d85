namespace GenRM.Training;

/// <summary>
/// One report of a long phase, for a progress bar or an updating notebook display: a training phase's
/// optimizer step, or the items a sampling or judging phase has done so far (<see cref="Items"/>: no
/// loss or learning rate, both NaN).
/// </summary>
public sealed record TrainingProgress(string Phase, int Step, int TotalSteps, double Loss, double LearningRate, double TokensPerSecond)
{
    /// <summary><paramref name="done"/> of <paramref name="total"/> items (sequences sampled, pairs read) at <paramref name="tokensPerSecond"/>.</summary>
    public static TrainingProgress Items(string phase, int done, int total, double tokensPerSecond) => new(phase, done, total, double.NaN, double.NaN, tokensPerSecond);
}

/// <summary>The loss became NaN or infinite; training stopped before applying that step.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
