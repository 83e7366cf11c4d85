using GenRM.Evaluation;
using static GenRM.Reporting.StudyOrder;

namespace GenRM.Reporting;

/// <summary>Whether a run's numbers reproduce one of the paper's claims.</summary>
public enum FindingStatus
{
    Reproduced,
    NotReproduced,
    Inconclusive,
}

/// <summary>One of the paper's claims, judged from a run's numbers.</summary>
/// <param name="Claim">The claim as one plain sentence, with the paper's magnitude.</param>
/// <param name="Status">Reproduced, not reproduced, or inconclusive, by <see cref="Findings.Rules"/>.</param>
/// <param name="Evidence">One line citing the run's numbers with their 95 % intervals.</param>
public sealed record Finding(string Claim, FindingStatus Status, string Evidence);

/// <summary>The paper's claims (PAPER.md), each judged from a run's accuracies and their 95 % intervals.</summary>
public static class Findings
{
    /// <summary>The decision rules, in the words the report prints above the findings.</summary>
    public const string Rules =
        "Each claim is decided from this run's accuracies and their 95 % intervals alone; the report has no paired, item-level outcomes, " +
        "so differences are judged by interval rules. \"A beats B\" is reproduced when A's interval lies wholly above B's, not reproduced " +
        "when it lies wholly below, and inconclusive when the intervals overlap (two 95 % intervals apart is a conservative test). " +
        "\"A matches B\" is reproduced when each accuracy lies inside the other's interval, not reproduced when the intervals are apart, " +
        "and inconclusive otherwise. A claim made of several comparisons is not reproduced when any comparison fails, inconclusive when a " +
        "method was not run or any comparison is inconclusive, and reproduced otherwise. \"GenRM\" stands for both forms the paper sets " +
        "against the baselines, genrm (no reasoning) and star-dpo (chain-of-thought GenRM), and a claim about it must hold for both. " +
        "Out of distribution is the RewardBench row (the mean of Chat, Chat Hard, Safety and Reasoning); where a method lacks it, the mean " +
        "of the sections both compared methods have, with the mean of their interval bounds (wider than the exact interval, so conservative). " +
        "The paper's magnitudes are quoted, not tested: this run's world and models are not the paper's.";

    /// <summary>Judges every claim from <paramref name="report"/>'s numbers, in the order of PAPER.md.</summary>
    public static IReadOnlyList<Finding> Evaluate(StudyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rows = report.Results.Where(r => double.IsFinite(r.Accuracy))
            .GroupBy(r => (r.Method, r.Section)).ToDictionary(g => g.Key, g => g.First());
        string[] genrm = [GenRm, StarDpo];
        string[] judges = [ZeroShot, ZeroShotCot];
        const string inDist = RewardBenchSections.InDistribution;
        return
        [
            Pairwise(rows, "Zero-shot judges (direct and chain-of-thought) are less accurate than the Bradley-Terry reward model in distribution (paper: by 9-36 points).",
                [BradleyTerry], judges, inDist, IntervalRules.Beats),
            Pairwise(rows, "GenRM is as accurate as the Bradley-Terry reward model in distribution (paper: GenRM 74.0 and STaR-DPO 73.9 against about 73-74).",
                genrm, [BradleyTerry], inDist, IntervalRules.Matches),
            Pairwise(rows, "GenRM is more accurate than the Bradley-Terry reward model out of distribution (paper: by 10-45 points).",
                genrm, [BradleyTerry], RewardBenchSections.Overall, IntervalRules.Beats),
            Pairwise(rows, "GenRM is more accurate than the zero-shot judges in distribution (paper: by 9-31 points).",
                genrm, judges, inDist, IntervalRules.Beats),
            Pairwise(rows, "GenRM is more accurate than the zero-shot judges out of distribution (paper: by 2-6 points).",
                genrm, judges, RewardBenchSections.Overall, IntervalRules.Beats),
            StarDpoImproves(report.StarIterations),
            MajorityVotingHelps(report.MajorityVotes),
            Pairwise(rows, "PairRM and GenRM without reasoning are about equally accurate in distribution (paper: both about 74).",
                [PairRm], [GenRm], inDist, IntervalRules.Matches),
        ];
    }

    static Finding Pairwise(Dictionary<(string, string), ResultRow> rows, string claim, string[] subjects, string[] others, string section,
        Func<Estimate, Estimate, Comparison> rule)
    {
        var run = rows.Keys.Select(k => k.Item1).ToHashSet(StringComparer.Ordinal);
        List<string> missing = [.. subjects.Concat(others).Where(m => !run.Contains(m)).Select(m => $"method {m} not run")];
        var comparisons = new List<Comparison>();
        foreach (string subject in subjects.Where(run.Contains))
        {
            foreach (string other in others.Where(run.Contains))
            {
                var pair = Pair(rows, subject, other, section);
                if (pair is null)
                    missing.Add($"no {section} result for {subject} or {other}");
                else
                    comparisons.Add(rule(pair.Value.A, pair.Value.B));
            }
        }
        return new Finding(claim, IntervalRules.Combine(comparisons, missing), string.Join("; ", missing.Concat(comparisons.Select(c => c.Evidence))));
    }

    /// <summary>
    /// Both methods' accuracies on <paramref name="section"/>; for RewardBench without both rows,
    /// the mean over the RewardBench sections both have, labelled as such.
    /// </summary>
    static (Estimate A, Estimate B)? Pair(Dictionary<(string, string), ResultRow> rows, string a, string b, string section)
    {
        if (rows.TryGetValue((a, section), out var rowA) && rows.TryGetValue((b, section), out var rowB))
            return (Of(rowA), Of(rowB));
        if (section != RewardBenchSections.Overall)
            return null;
        List<string> common = [.. RewardBenchSections.Sections.Where(s => rows.ContainsKey((a, s)) && rows.ContainsKey((b, s)))];
        if (common.Count == 0)
            return null;
        string label = $"(mean of {string.Join(", ", common)}; no RewardBench row)";
        Estimate Mean(string method)
        {
            var parts = common.Select(s => rows[(method, s)]).ToList();
            return new Estimate($"{method} {label}", parts.Average(r => r.Accuracy),
                new ConfidenceInterval(parts.Average(r => r.Ci95.Low), parts.Average(r => r.Ci95.High)));
        }
        return (Mean(a), Mean(b));
    }

    static Estimate Of(ResultRow row) => new(row.Method, row.Accuracy, row.Ci95);

    static Finding StarDpoImproves(IReadOnlyList<StarIterationStats> iterations)
    {
        const string claim = "STaR-DPO's held-out accuracy improves over its iterations (paper: 71.28, 72.98, 73.58 over three iterations).";
        var measured = iterations.Where(i => i.Method == StarDpo && double.IsFinite(i.HeldOutAccuracy)).OrderBy(i => i.Iteration).ToList();
        if (measured.Count == 0)
            return new Finding(claim, FindingStatus.Inconclusive, $"method {StarDpo} not run (no iteration statistics)");
        string path = string.Join(" -> ", measured.Select(i => $"iteration {i.Iteration}: {ReportFormat.Percent(i.HeldOutAccuracy)}"));
        if (measured.Count < 2)
            return new Finding(claim, FindingStatus.Inconclusive, $"only one iteration ({path})");
        StarIterationStats first = measured[0], last = measured[^1];
        if (first.Ci95 is not { } firstCi || last.Ci95 is not { } lastCi)
            return new Finding(claim, FindingStatus.Inconclusive, $"{path}; no 95 % intervals to compare");
        var comparison = IntervalRules.Beats(
            new Estimate($"iteration {last.Iteration}", last.HeldOutAccuracy, lastCi),
            new Estimate($"iteration {first.Iteration}", first.HeldOutAccuracy, firstCi));
        return new Finding(claim, comparison.Status, $"{path}; {comparison.Evidence}");
    }

    static Finding MajorityVotingHelps(IReadOnlyList<MajorityVoteStats> votes)
    {
        const string claim = "A majority vote over sampled verdicts is more accurate than a single sample (paper: +1.6 points in distribution, +3.8 out, with 32 votes).";
        var comparisons = votes.Where(v => double.IsFinite(v.Accuracy))
            .GroupBy(v => (v.Method, v.Section))
            .Where(g => g.Select(v => v.Votes).Distinct().Count() >= 2)
            .OrderBy(g => MethodRank(g.Key.Method)).ThenBy(g => g.Key.Method, StringComparer.Ordinal)
            .ThenBy(g => SectionRank(g.Key.Section)).ThenBy(g => g.Key.Section, StringComparer.Ordinal)
            .Select(g =>
            {
                MajorityVoteStats fewest = g.MinBy(v => v.Votes)!, most = g.MaxBy(v => v.Votes)!;
                return IntervalRules.Beats(
                    new Estimate($"{most.Method} on {most.Section} with {most.Votes} votes", most.Accuracy, most.Ci95),
                    new Estimate(fewest.Votes == 1 ? "1 vote" : $"{fewest.Votes} votes", fewest.Accuracy, fewest.Ci95));
            }).ToList();
        if (comparisons.Count == 0)
            return new Finding(claim, FindingStatus.Inconclusive, "no majority-vote measurements with two or more vote counts in this run");
        return new Finding(claim, IntervalRules.Combine(comparisons, []), string.Join("; ", comparisons.Select(c => c.Evidence)));
    }
}
