namespace GenRM.Training;

/// <summary>
/// One report of a long phase, for a progress bar or an updating notebook display: a training phase's
/// optimizer step, or a sampling phase's sequences done so far (<see cref="Sampling"/>: no loss or
/// learning rate, both NaN).
/// </summary>
public sealed record TrainingProgress(string Phase, int Step, int TotalSteps, double Loss, double LearningRate, double TokensPerSecond)
{
    /// <summary>Sampling <paramref name="total"/> sequences, <paramref name="done"/> of them finished, at <paramref name="tokensPerSecond"/> generated tokens.</summary>
    public static TrainingProgress Sampling(string phase, int done, int total, double tokensPerSecond) => new(phase, done, total, double.NaN, double.NaN, tokensPerSecond);
}

/// <summary>The loss became NaN or infinite; training stopped before applying that step.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
