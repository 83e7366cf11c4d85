namespace GenRM.Evaluation;

/// <summary>Two methods (or two readouts) compared on the same items of one section.</summary>
/// <param name="Section">The results section.</param>
/// <param name="AccuracyA">A's accuracy on the paired items.</param>
/// <param name="AccuracyB">B's accuracy on the paired items.</param>
/// <param name="Difference">A − B with its paired bootstrap 95 % interval (items resampled together, within seed and subset).</param>
/// <param name="Seeds">Seeds the items come from.</param>
/// <param name="McNemarP">McNemar's exact two-sided p-value, when every score is 0 or 1 and the section is one group of items (not the RewardBench mean).</param>
public sealed record PairedComparison(string Section, double AccuracyA, double AccuracyB, BootstrapEstimate Difference, int Seeds, double? McNemarP);

/// <summary>Paired, item-level tests between two sets of item records (<see cref="ItemRecord"/>), matched by seed and id.</summary>
public static class PairedTests
{
    /// <summary>
    /// Compares <paramref name="scoreA"/> of <paramref name="a"/> with <paramref name="scoreB"/> of
    /// <paramref name="b"/> on the items of <paramref name="section"/> both have (by seed and id);
    /// null when they share no item there (or, for RewardBench, not all four sections).
    /// </summary>
    public static PairedComparison? Compare(IEnumerable<ItemRecord> a, IEnumerable<ItemRecord> b, string section, int seed,
        Func<ItemRecord, double>? scoreA = null, Func<ItemRecord, double>? scoreB = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        scoreA ??= i => i.Score;
        scoreB ??= i => i.Score;
        var others = b.GroupBy(i => i.Key).ToDictionary(g => g.Key, g => g.First());
        var pairs = a.Where(i => others.ContainsKey(i.Key)).Select(i => (A: i, B: others[i.Key])).ToList();
        var difference = ItemSections.Values(pairs.Select(p => p.A), section, i => scoreA(i) - scoreB(others[i.Key]));
        if (difference is not { } d) return null;
        var onA = ItemSections.Values(pairs.Select(p => p.A), section, scoreA)!.Value;
        var onB = ItemSections.Values(pairs.Select(p => p.B), section, scoreB)!.Value;
        var inSection = pairs.Where(p => d.Weights.ContainsKey(p.A.Subset)).ToList();
        bool binary = section != RewardBenchSections.Overall && inSection.All(p => scoreA(p.A) is 0 or 1 && scoreB(p.B) is 0 or 1);
        double? mcNemar = binary
            ? McNemar.ExactP(inSection.Count(p => scoreA(p.A) > scoreB(p.B)), inSection.Count(p => scoreA(p.A) < scoreB(p.B)))
            : null;
        return new PairedComparison(section, StratifiedBootstrap.Mean(onA.Values, onA.Weights), StratifiedBootstrap.Mean(onB.Values, onB.Weights),
            StratifiedBootstrap.Estimate(d.Values, d.Weights, seed), inSection.Select(p => p.A.Seed).Distinct().Count(), mcNemar);
    }
}
