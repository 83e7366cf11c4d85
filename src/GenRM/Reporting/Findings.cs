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

/// <summary>One of the paper's claims, judged from a run's item-level outcomes.</summary>
/// <param name="Claim">The claim as one plain sentence, with the paper's magnitude.</param>
/// <param name="Status">Reproduced, not reproduced, or inconclusive, by <see cref="Findings.Rules"/>.</param>
/// <param name="Evidence">One line citing the paired differences with their 95 % intervals, and what is missing.</param>
public sealed record Finding(string Claim, FindingStatus Status, string Evidence)
{
    /// <summary>The paired comparisons the status was decided from.</summary>
    public IReadOnlyList<PairedVerdict> Verdicts { get; init; } = [];
}

/// <summary>The paper's claims (PAPER.md), each decided by paired, item-level tests on a run's outcomes.</summary>
public static class Findings
{
    /// <summary>"A matches B" needs the paired 95 % interval of A − B inside ± this margin (3 points).</summary>
    public const double EquivalenceMargin = 0.03;

    /// <summary>The decision rules, in the words the report prints above the findings.</summary>
    public const string Rules =
        "Each claim is decided by paired, item-level tests: two methods are compared on the same evaluation items (matched by seed and pair id), " +
        "and the difference in accuracy A − B gets a 95 % percentile interval from a paired bootstrap (2,000 resamples of items, drawn within " +
        "each seed and section, seeded, so the same run gives the same interval). \"A beats B\" is reproduced when that interval lies wholly above 0, " +
        "not reproduced when it lies wholly below 0, and inconclusive when it contains 0. \"A matches B\" is reproduced when the interval lies " +
        "wholly inside the equivalence margin of ±3 points, not reproduced when it lies wholly outside it, and inconclusive when it crosses it. " +
        "Where every score is 0 or 1, McNemar's exact test on the discordant items is shown beside the difference; it does not decide. " +
        "A claim made of several comparisons is not reproduced when any comparison fails, inconclusive when a method was not run, has no " +
        "item-level outcomes, or any comparison is inconclusive, and reproduced otherwise. \"GenRM\" stands for both forms the paper sets " +
        "against the baselines, genrm (no reasoning) and star-dpo (chain-of-thought GenRM), and a claim about it must hold for both. " +
        "Out of distribution is the RewardBench mean (the mean of Chat, Chat Hard, Safety and Reasoning), its items resampled within each section. " +
        "STaR-DPO's improvement compares its last iteration with its first on the same held-out items; majority voting compares each item's " +
        "vote with its first sampled rationale alone. The paper's magnitudes are quoted, not tested: this run's world and models are not the paper's.";

    /// <summary>How every interval in the report is computed, in the words the report prints.</summary>
    public const string IntervalMethods =
        "Single accuracies: in distribution and in each MiniWorld section, the Wilson score interval (Wilson 1927) on the item scores " +
        "(a tie or an unparsable verdict counts half); RewardBench sections of real data, a percentile bootstrap over items within subsets " +
        "(1,000 resamples); the RewardBench mean, a percentile bootstrap resampling items within each of its four sections (1,000 resamples). " +
        "Accuracies pooled over several seeds: a percentile bootstrap (2,000 resamples) stratified by seed and section. Differences between " +
        "methods: the paired bootstrap of the findings. Diagnostics, position bias and STaR shares: Wilson intervals. All intervals are 95 %.";

    /// <summary>Judges every claim from <paramref name="report"/>'s item-level outcomes, in the order of PAPER.md.</summary>
    public static IReadOnlyList<Finding> Evaluate(StudyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var context = new Context(report);
        string[] genrm = [GenRm, StarDpo];
        string[] judges = [ZeroShot, ZeroShotCot];
        const string inDist = RewardBenchSections.InDistribution;
        return
        [
            context.Pairwise("Zero-shot judges (direct and chain-of-thought) are less accurate than the Bradley-Terry reward model in distribution (paper: by 9-36 points).",
                [BradleyTerry], judges, inDist, PairedRules.Beats),
            context.Pairwise("GenRM is as accurate as the Bradley-Terry reward model in distribution (paper: GenRM 74.0 and STaR-DPO 73.9 against about 73-74).",
                genrm, [BradleyTerry], inDist, PairedRules.Matches),
            context.Pairwise("GenRM is more accurate than the Bradley-Terry reward model out of distribution (paper: by 10-45 points).",
                genrm, [BradleyTerry], RewardBenchSections.Overall, PairedRules.Beats),
            context.Pairwise("GenRM is more accurate than the zero-shot judges in distribution (paper: by 9-31 points).",
                genrm, judges, inDist, PairedRules.Beats),
            context.Pairwise("GenRM is more accurate than the zero-shot judges out of distribution (paper: by 2-6 points).",
                genrm, judges, RewardBenchSections.Overall, PairedRules.Beats),
            StarDpoImproves(report),
            MajorityVotingHelps(report),
            context.Pairwise("PairRM and GenRM without reasoning are about equally accurate in distribution (paper: both about 74).",
                [PairRm], [GenRm], inDist, PairedRules.Matches),
        ];
    }

    /// <summary>The seed of every bootstrap in the findings: the run's, so the same run gives the same intervals.</summary>
    static int BootstrapSeed(StudyReport report) => report.Run.Seed;

    sealed class Context(StudyReport report)
    {
        readonly HashSet<string> run = [.. report.Results.Where(r => double.IsFinite(r.Accuracy)).Select(r => r.Method), .. report.Items.Where(i => i.Value.Count > 0).Select(i => i.Key)];

        public Finding Pairwise(string claim, string[] subjects, string[] others, string section, Func<string, string, PairedComparison, PairedVerdict> rule)
        {
            List<string> missing = [.. subjects.Concat(others).Where(m => !run.Contains(m)).Select(m => $"method {m} not run")];
            missing.AddRange(subjects.Concat(others).Where(m => run.Contains(m) && Items(m).Count == 0).Select(m => $"no item-level outcomes for {m}"));
            var verdicts = new List<PairedVerdict>();
            foreach (string subject in subjects.Where(m => Items(m).Count > 0))
            {
                foreach (string other in others.Where(m => Items(m).Count > 0))
                {
                    if (PairedTests.Compare(Items(subject), Items(other), section, BootstrapSeed(report)) is { } test)
                        verdicts.Add(rule(subject, other, test));
                    else
                        missing.Add($"no shared {section} items for {subject} and {other}");
                }
            }
            return Decided(claim, verdicts, missing);
        }

        IReadOnlyList<ItemRecord> Items(string method) => report.Items.TryGetValue(method, out var items) ? items : [];
    }

    static Finding Decided(string claim, IReadOnlyList<PairedVerdict> verdicts, IReadOnlyList<string> missing) =>
        new(claim, PairedRules.Combine(verdicts, missing), string.Join("; ", missing.Concat(verdicts.Select(v => v.Evidence))))
        {
            Verdicts = verdicts,
        };

    static Finding StarDpoImproves(StudyReport report)
    {
        const string claim = "STaR-DPO's held-out accuracy improves over its iterations (paper: 71.28, 72.98, 73.58 over three iterations).";
        var measured = report.StarIterations.Where(i => i.Method == StarDpo && double.IsFinite(i.HeldOutAccuracy)).ToList();
        if (measured.Count == 0)
            return new Finding(claim, FindingStatus.Inconclusive, $"method {StarDpo} not run (no iteration statistics)");
        int first = measured.Min(i => i.Iteration), last = measured.Max(i => i.Iteration);
        string path = string.Join(" -> ", measured.GroupBy(i => i.Iteration).OrderBy(g => g.Key)
            .Select(g => $"iteration {g.Key}: {ReportFormat.Percent(g.Average(i => i.HeldOutAccuracy))}"));
        if (first == last)
            return new Finding(claim, FindingStatus.Inconclusive, $"only one iteration ({path})");
        IReadOnlyList<ItemRecord> Held(int iteration) => [.. measured.Where(i => i.Iteration == iteration).SelectMany(i => i.HeldOutItems)];
        var lastItems = Held(last);
        if (lastItems.Count == 0 || Held(first).Count == 0)
            return new Finding(claim, FindingStatus.Inconclusive, $"{path}; no held-out item outcomes to pair");
        var test = PairedTests.Compare(lastItems, Held(first), lastItems[0].Section, BootstrapSeed(report));
        if (test is null)
            return new Finding(claim, FindingStatus.Inconclusive, $"{path}; the iterations share no held-out items");
        var verdict = PairedRules.Beats($"{StarDpo} iteration {last}", $"iteration {first}", test);
        return Decided(claim, [verdict], []) with { Evidence = $"{path}; {verdict.Evidence}" };
    }

    static Finding MajorityVotingHelps(StudyReport report)
    {
        const string claim = "A majority vote over sampled verdicts is more accurate than a single sample (paper: +1.6 points in distribution, +3.8 out, with 32 votes).";
        var voting = report.MajorityVotes.Where(v => v.Votes > 1).Select(v => v.Method).ToHashSet(StringComparer.Ordinal);
        var verdicts = new List<PairedVerdict>();
        foreach (string method in SortMethods(voting))
        {
            var items = report.Items.TryGetValue(method, out var found) ? found.Where(i => i.FirstVoteScore is not null).ToList() : [];
            foreach (string section in new[] { RewardBenchSections.InDistribution, RewardBenchSections.Overall })
            {
                if (PairedTests.Compare(items, items, section, BootstrapSeed(report), scoreB: i => i.FirstVoteScore!.Value) is { } test)
                    verdicts.Add(PairedRules.Beats($"{method} majority vote", "its first rationale alone", test));
            }
        }
        if (verdicts.Count == 0)
            return new Finding(claim, FindingStatus.Inconclusive, "no chain-of-thought judge with several votes and item-level outcomes in this run");
        return Decided(claim, verdicts, []);
    }
}
