namespace GenRM.Training;

/// <summary>
/// Optimisation settings shared by every trainer. Defaults are the paper's (PAPER.md): AdamW with
/// β (0.9, 0.95), weight decay 0.1, cosine schedule with 10 % warm-up.
/// </summary>
public sealed record OptimizerConfig
{
    public double LearningRate { get; init; } = 1e-6;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.95;
    public double Epsilon { get; init; } = 1e-8;
    /// <summary>Decoupled weight decay, applied to matrices only (not to norms or biases, as nanoGPT does).</summary>
    public double WeightDecay { get; init; } = 0.1;
    /// <summary>Fraction of the optimizer steps spent warming the learning rate up linearly from 0.</summary>
    public double WarmupRatio { get; init; } = 0.1;
    /// <summary>The learning rate the cosine decays to, as a fraction of the peak.</summary>
    public double MinLearningRateRatio { get; init; }
    /// <summary>Gradients are rescaled when their global L2 norm exceeds this (0 disables clipping).</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    public OptimizerConfig Validated()
    {
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), "learning rate must be positive.");
        if (Beta1 is < 0 or >= 1 || Beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(Beta1), "Adam betas must be in [0, 1).");
        if (WeightDecay < 0) throw new ArgumentOutOfRangeException(nameof(WeightDecay), "weight decay must not be negative.");
        if (WarmupRatio is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(WarmupRatio), "warm-up ratio must be in [0, 1].");
        if (MinLearningRateRatio is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(MinLearningRateRatio), "minimum learning-rate ratio must be in [0, 1].");
        if (MaxGradNorm < 0) throw new ArgumentOutOfRangeException(nameof(MaxGradNorm), "gradient clipping norm must not be negative.");
        return this;
    }
}
