namespace GenRM.Evaluation;

/// <summary>
/// What a judge's in-distribution verdicts say about how it decides (MINIWORLD-AUDIT.md, 1.3 and 4.5):
/// whether it follows the polish cue, whether it is right where only correctness can explain the
/// labels, and whether its rationales do the world's check. Each share comes with its Wilson interval.
/// </summary>
/// <param name="Method">Method id.</param>
/// <param name="PolishPreference">On cue-discordant pairs (polish on exactly one answer): the share where the judge prefers the polished answer (no verdict counts half).</param>
/// <param name="StyleTiedAccuracy">Accuracy on style-tied pairs (polish on both answers or neither).</param>
/// <param name="CheckingShare">Chain-of-thought judges: the share of sampled rationales containing the world's correct check (the interval counts rationales as independent, so it is narrow).</param>
public sealed record JudgeDiagnostics(string Method, Proportion PolishPreference, Proportion StyleTiedAccuracy, Proportion? CheckingShare)
{
    /// <summary>
    /// Chain-of-thought judges: the checking share in every section whose items carry rationale
    /// counts, in distribution first (empty for other judges). Out of distribution it tells whether
    /// a judge's accuracy there comes from doing the check or from something else.
    /// </summary>
    public IReadOnlyList<SectionShare> CheckingBySection { get; init; } = [];

    /// <summary>In-distribution accuracy against the truth rather than the labels; null when the items do not carry it.</summary>
    public Proportion? TruthAccuracy { get; init; }

    /// <summary>How much the judge checks and how much it follows the polish otherwise (v and c); null when the items do not carry the truth.</summary>
    public CheckOrFollow? CheckOrFollow { get; init; }

    /// <summary>
    /// The diagnostics of <paramref name="method"/> from its in-distribution item records; null when
    /// they carry no cue facts (a study on files).
    /// </summary>
    public static JudgeDiagnostics? Measure(string method, IEnumerable<ItemRecord> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var all = items.ToList();
        var known = all.Where(i => i.Section == RewardBenchSections.InDistribution && i.CueOnChosen is not null && i.CueOnRejected is not null).ToList();
        if (known.Count == 0) return null;
        var discordant = known.Where(i => i.CueOnChosen != i.CueOnRejected).ToList();
        var tied = known.Where(i => i.CueOnChosen == i.CueOnRejected).ToList();
        double polished = discordant.Sum(Evaluation.CheckOrFollow.PolishedPickScore);
        var bySection = all.Where(i => i.Rationales is > 0).GroupBy(i => i.Section)
            .Select(g => new SectionShare(g.Key, CheckShare(g)))
            .OrderBy(s => RewardBenchSections.Rank(s.Section)).ThenBy(s => s.Section, StringComparer.Ordinal)
            .ToList();
        Proportion? checking = bySection.Where(s => s.Section == RewardBenchSections.InDistribution).Select(s => s.Share).FirstOrDefault();
        var withTruth = known.Where(i => i.ChosenIsRight is not null).ToList();
        return new JudgeDiagnostics(method, Proportion.Of(polished, discordant.Count), Proportion.Of(tied.Sum(i => i.Score), tied.Count), checking)
        {
            CheckingBySection = bySection,
            TruthAccuracy = withTruth.Count == 0 ? null : Proportion.Of(withTruth.Sum(Evaluation.CheckOrFollow.TruthScore), withTruth.Count),
            CheckOrFollow = Evaluation.CheckOrFollow.Fit(withTruth),
        };
    }

    static Proportion CheckShare(IEnumerable<ItemRecord> items) =>
        Proportion.Of(items.Sum(i => i.RationalesWithCheck ?? 0), items.Sum(i => i.Rationales!.Value));
}

/// <summary>A share measured on one section's items.</summary>
public sealed record SectionShare(string Section, Proportion Share);
