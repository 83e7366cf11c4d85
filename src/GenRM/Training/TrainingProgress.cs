namespace GenRM.Training;

/// <summary>One optimizer step's report, for a progress bar or an updating notebook display.</summary>
public sealed record TrainingProgress(string Phase, int Step, int TotalSteps, double Loss, double LearningRate, double TokensPerSecond);

/// <summary>The loss became NaN or infinite; training stopped before applying that step.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
