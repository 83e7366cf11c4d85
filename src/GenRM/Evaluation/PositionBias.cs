namespace GenRM.Evaluation;

/// <summary>
/// One pair judged in both orders: the item score (1, 0.5, 0 from <see cref="PairScoring"/>) with
/// the chosen response shown first (as A) and shown second (as B).
/// </summary>
public readonly record struct SwappedJudgement(string Id, double ScoreChosenFirst, double ScoreChosenSecond);

/// <summary>A proportion with its Wilson 95 % interval.</summary>
public sealed record Proportion(double Value, int N, ConfidenceInterval Ci95)
{
    public static Proportion Of(double successes, int n) => new(n == 0 ? double.NaN : successes / n, n, WilsonInterval.Compute(successes, n));
}

/// <summary>How much a judge's verdicts depend on the order the responses are shown in.</summary>
/// <param name="ChosenFirst">Accuracy with the chosen response shown first.</param>
/// <param name="ChosenSecond">Accuracy with the chosen response shown second.</param>
/// <param name="BothOrders">Accuracy averaged over both orders (the interval counts items, not judgements, as the two are not independent).</param>
/// <param name="Consistency">Fraction of items where the judge prefers the same response in both orders (an unparsable verdict is not consistent).</param>
public sealed record PositionBiasReport(Proportion ChosenFirst, Proportion ChosenSecond, Proportion BothOrders, Proportion Consistency)
{
    /// <summary>Accuracy first minus accuracy second: positive when the judge favours the first position.</summary>
    public double FirstPositionAdvantage => ChosenFirst.Value - ChosenSecond.Value;

    public static PositionBiasReport Measure(IReadOnlyCollection<SwappedJudgement> judgements)
    {
        ArgumentNullException.ThrowIfNull(judgements);
        int n = judgements.Count;
        return new PositionBiasReport(
            Proportion.Of(judgements.Sum(j => j.ScoreChosenFirst), n),
            Proportion.Of(judgements.Sum(j => j.ScoreChosenSecond), n),
            Proportion.Of(judgements.Sum(j => (j.ScoreChosenFirst + j.ScoreChosenSecond) / 2), n),
            Proportion.Of(judgements.Count(j => j.ScoreChosenFirst == j.ScoreChosenSecond && j.ScoreChosenFirst != 0.5), n));
    }
}
