namespace GenRM.Training;

/// <summary>Linear warm-up to the peak learning rate, then a half cosine down to the minimum, over the run's optimizer steps.</summary>
public sealed class CosineSchedule(OptimizerConfig config, int totalSteps)
{
    public int WarmupSteps { get; } = (int)Math.Ceiling(config.WarmupRatio * totalSteps);

    /// <summary>The learning rate of optimizer step <paramref name="step"/> (0-based).</summary>
    public double LearningRate(int step)
    {
        double peak = config.LearningRate;
        if (step < WarmupSteps) return peak * (step + 1) / WarmupSteps;
        int decaySteps = Math.Max(1, totalSteps - WarmupSteps);
        double progress = Math.Min(1.0, (double)(step - WarmupSteps) / decaySteps);
        double floor = peak * config.MinLearningRateRatio;
        return floor + (peak - floor) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
