namespace GenRM.Evaluation;

/// <summary>
/// The audit's two-number account of how a judge decides in distribution (MINIWORLD-AUDIT.md, 1.3):
/// it settles a share v of pairs by checking, and is then right; on the rest it picks the polished
/// answer with probability c (and tosses a coin where both or neither are polished). Both are read
/// against the truth, not the labels: on style-tied pairs the truth accuracy is v + (1 − v)/2, and on
/// cue-discordant pairs whose polish sits on the wrong answer the polished one is picked with
/// probability (1 − v)·c. A pure style follower has v = 0, c = 1; a checker v = 1 (c is then undefined).
/// </summary>
/// <param name="Verification">v, from the style-tied pairs; its interval is a seeded percentile bootstrap.</param>
/// <param name="CueFollowing">c, from v and the discordant pairs with the polish on the wrong answer; NaN when v ≥ 1.</param>
public sealed record CheckOrFollow(BootstrapEstimate Verification, BootstrapEstimate CueFollowing)
{
    /// <summary>
    /// Fits v and c to in-distribution items that carry the cue and the truth; null when either
    /// group of pairs is empty. Scores of ties (0.5) count half.
    /// </summary>
    public static CheckOrFollow? Fit(IEnumerable<ItemRecord> items, int seed = 1, int resamples = StratifiedBootstrap.DefaultResamples)
    {
        ArgumentNullException.ThrowIfNull(items);
        var known = items.Where(i => i.CueOnChosen is { } && i.CueOnRejected is { } && i.ChosenIsRight is { }).ToList();
        double[] tiedTruth = [.. known.Where(i => i.CueOnChosen == i.CueOnRejected).Select(TruthScore)];
        // Discordant pairs whose polish is on the wrong answer: the chosen is polished and wrong, or the rejected is polished and the chosen right.
        double[] pickedWrongPolish = [.. known.Where(i => i.CueOnChosen != i.CueOnRejected && i.CueOnChosen != i.ChosenIsRight)
            .Select(PolishedPickScore)];
        if (tiedTruth.Length == 0 || pickedWrongPolish.Length == 0) return null;

        var random = new Random(seed);
        var vs = new double[resamples];
        var cs = new double[resamples];
        for (int b = 0; b < resamples; b++)
            (vs[b], cs[b]) = Model(Resample(tiedTruth, random), Resample(pickedWrongPolish, random));
        var (v, c) = Model(tiedTruth.Average(), pickedWrongPolish.Average());
        // A resample with v ≥ 1 has no c; the interval is taken over the others.
        double[] finiteC = [.. cs.Where(double.IsFinite)];
        var cInterval = finiteC.Length >= 2 ? Percentiles.Ci95(finiteC) : new ConfidenceInterval(double.NaN, double.NaN);
        return new CheckOrFollow(new BootstrapEstimate(v, Percentiles.Ci95(vs), tiedTruth.Length, resamples),
            new BootstrapEstimate(c, cInterval, pickedWrongPolish.Length, resamples));
    }

    /// <summary>
    /// On a pair with the polish on one answer, how far the judge picked the polished one: it did when
    /// it picked the chosen answer and the cue is there, or the rejected one otherwise (no verdict, half).
    /// </summary>
    public static double PolishedPickScore(ItemRecord item) => item.CueOnChosen == true ? item.Score : 1 - item.Score;

    /// <summary>The score against the truth: the label's score where the chosen answer is right, its complement where not.</summary>
    public static double TruthScore(ItemRecord item) => item.ChosenIsRight == true ? item.Score : 1 - item.Score;

    static (double V, double C) Model(double tiedTruthAccuracy, double wrongPolishPicked)
    {
        double v = 2 * tiedTruthAccuracy - 1;
        return (v, v < 1 ? wrongPolishPicked / (1 - v) : double.NaN);
    }

    static double Resample(double[] values, Random random)
    {
        double sum = 0;
        for (int i = 0; i < values.Length; i++) sum += values[random.Next(values.Length)];
        return sum / values.Length;
    }
}
