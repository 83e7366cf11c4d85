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
    /// The diagnostics of <paramref name="method"/> from its in-distribution item records; null when
    /// they carry no cue facts (a study on files).
    /// </summary>
    public static JudgeDiagnostics? Measure(string method, IEnumerable<ItemRecord> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var known = items.Where(i => i.Section == RewardBenchSections.InDistribution && i.CueOnChosen is not null && i.CueOnRejected is not null).ToList();
        if (known.Count == 0) return null;
        var discordant = known.Where(i => i.CueOnChosen != i.CueOnRejected).ToList();
        var tied = known.Where(i => i.CueOnChosen == i.CueOnRejected).ToList();
        // The judge prefers the polished answer when it picks the chosen one and the cue is there, or the rejected one otherwise.
        double polished = discordant.Sum(i => i.CueOnChosen == true ? i.Score : 1 - i.Score);
        var withRationales = known.Where(i => i.Rationales is > 0).ToList();
        Proportion? checking = withRationales.Count == 0 ? null
            : Proportion.Of(withRationales.Sum(i => i.RationalesWithCheck ?? 0), withRationales.Sum(i => i.Rationales!.Value));
        return new JudgeDiagnostics(method, Proportion.Of(polished, discordant.Count), Proportion.Of(tied.Sum(i => i.Score), tied.Count), checking);
    }
}
