namespace GenRM.MiniWorld;

/// <summary>
/// The world's "humans": they compare two answers, one right and one wrong, and choose the right
/// one with probability σ(correctness weight + style weight × (cue on right − cue on wrong)).
/// The logistic choice is the label noise: even a perfect verifier agrees with them less than always.
/// </summary>
public sealed record SimulatedAnnotator(double CorrectnessWeight, double StyleWeight)
{
    public static SimulatedAnnotator From(MiniWorldConfig config) => new(config.CorrectnessWeight, config.StyleWeight);

    /// <summary>The probability of choosing the right answer, given which answers carry the cue.</summary>
    public double ProbabilityPrefersCorrect(bool cueOnCorrect, bool cueOnWrong)
    {
        double logit = CorrectnessWeight + StyleWeight * ((cueOnCorrect ? 1 : 0) - (cueOnWrong ? 1 : 0));
        return 1 / (1 + Math.Exp(-logit));
    }
}
