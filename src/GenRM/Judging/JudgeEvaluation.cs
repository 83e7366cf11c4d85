using GenRM.Data;
using GenRM.Evaluation;

namespace GenRM.Judging;

/// <summary>One pair as judged: the order it was shown in, the judge's answer, and its score under RewardBench's rules.</summary>
public sealed record JudgedPair(PreferencePair Pair, bool ChosenShownAsA, Judgement Judgement, ItemOutcome Outcome);

/// <summary>
/// Runs a judge over preference pairs under the evaluation protocol: each pair is shown in a
/// seeded random A/B order, reward judges are right only when the chosen score is strictly higher,
/// generative judges score 1, 0 or 0.5 (no verdict) from their verdict.
/// </summary>
public static class JudgeEvaluation
{
    public static IReadOnlyList<JudgedPair> Run(IPreferenceJudge judge, IReadOnlyList<PreferencePair> pairs, int seed, CancellationToken cancellation = default) =>
        Judge(judge, pairs, ChosenIsA(pairs, seed), cancellation);

    /// <summary>
    /// <see cref="Run"/> for a chain-of-thought judge, with its greedy single readout of the same pairs in
    /// the same A/B orders (<see cref="GenerativeJudge.JudgeWithGreedy"/>).
    /// </summary>
    public static (IReadOnlyList<JudgedPair> Votes, IReadOnlyList<JudgedPair> Greedy) RunWithGreedy(GenerativeJudge judge, IReadOnlyList<PreferencePair> pairs,
        int seed, CancellationToken cancellation = default)
    {
        bool[] chosenIsA = ChosenIsA(pairs, seed);
        var (votes, greedy) = judge.JudgeWithGreedy(Items(pairs, chosenIsA), cancellation);
        return (Scored(judge.Method, pairs, chosenIsA, votes), Scored(judge.Method, pairs, chosenIsA, greedy));
    }

    /// <summary>Judges every pair twice, chosen first then chosen second, and measures the judge's position bias.</summary>
    public static PositionBiasReport PositionBias(IPreferenceJudge judge, IReadOnlyList<PreferencePair> pairs, CancellationToken cancellation = default)
    {
        var first = Judge(judge, pairs, [.. pairs.Select(_ => true)], cancellation);
        var second = Judge(judge, pairs, [.. pairs.Select(_ => false)], cancellation);
        return PositionBiasReport.Measure([.. first.Zip(second, (a, b) => new SwappedJudgement(a.Pair.Id, a.Outcome.Score, b.Outcome.Score))]);
    }

    static JudgedPair[] Judge(IPreferenceJudge judge, IReadOnlyList<PreferencePair> pairs, bool[] chosenIsA, CancellationToken cancellation) =>
        Scored(judge.Method, pairs, chosenIsA, judge.Judge(Items(pairs, chosenIsA), cancellation));

    /// <summary>Whether each pair shows its chosen response as A, in the evaluation's seeded A/B order.</summary>
    static bool[] ChosenIsA(IReadOnlyList<PreferencePair> pairs, int seed) => [.. pairs.Select(p => AbOrder.Arrange(p, seed).ChosenIsA)];

    static JudgeItem[] Items(IReadOnlyList<PreferencePair> pairs, bool[] chosenIsA) =>
        [.. pairs.Select((p, i) => chosenIsA[i] ? new JudgeItem(p.Prompt, p.Chosen, p.Rejected) : new JudgeItem(p.Prompt, p.Rejected, p.Chosen))];

    /// <summary>Each pair's outcome from the judge's answer about it as shown.</summary>
    static JudgedPair[] Scored(string method, IReadOnlyList<PreferencePair> pairs, bool[] chosenIsA, IReadOnlyList<Judgement> judgements)
    {
        if (judgements.Count != pairs.Count)
            throw new InvalidOperationException($"{method} returned {judgements.Count} judgements for {pairs.Count} items.");
        var judged = new JudgedPair[pairs.Count];
        for (int i = 0; i < pairs.Count; i++)
        {
            Judgement j = judgements[i];
            if (double.IsNaN(j.ProbabilityABetter) || j.ScoreA is double.NaN || j.ScoreB is double.NaN)
                throw new NonFiniteScoresException($"{method} produced a NaN score for pair {pairs[i].Id}; refusing to report an accuracy computed from it (are the weights finite?).");
            ItemOutcome outcome = j.ScoreA is double a && j.ScoreB is double b
                ? ItemOutcome.FromRewards(pairs[i], chosenIsA[i] ? a : b, chosenIsA[i] ? b : a)
                : ItemOutcome.FromVerdict(pairs[i], j.Verdict, chosenIsA[i]);
            judged[i] = new JudgedPair(pairs[i], chosenIsA[i], j, outcome);
        }
        return judged;
    }

    /// <summary>
    /// The score a reward model gave every response, when it gave them all the same one (to within
    /// a millionth of their size): such a model has collapsed, and its accuracy (ties count as wrong)
    /// measures nothing. Null when the scores vary, or the judge gives verdicts rather than scores.
    /// </summary>
    public static double? ConstantScore(IReadOnlyList<JudgedPair> judged)
    {
        ArgumentNullException.ThrowIfNull(judged);
        if (judged.Count == 0 || judged.Any(j => j.Judgement.ScoreA is null || j.Judgement.ScoreB is null))
            return null;
        double[] scores = [.. judged.SelectMany(j => new[] { j.Judgement.ScoreA!.Value, j.Judgement.ScoreB!.Value })];
        double low = scores.Min(), high = scores.Max();
        return high - low <= 1e-6 * Math.Max(1, Math.Max(Math.Abs(low), Math.Abs(high))) ? scores.Average() : null;
    }

    /// <summary>
    /// Results rows for one method. Pairs whose subsets are RewardBench's are scored by RewardBench's
    /// weighted sections; other subsets (MiniWorld's sections) are sections themselves, and when all
    /// four out-of-distribution sections are present their mean is the <c>RewardBench</c> row.
    /// </summary>
    public static IReadOnlyList<ResultRow> Rows(string method, IReadOnlyList<JudgedPair> judged, int seed)
    {
        var rows = new List<ResultRow>();
        var rewardBench = judged.Where(j => RewardBenchSections.SectionOf(j.Pair.Subset) is not null).Select(j => j.Outcome).ToArray();
        if (rewardBench.Length > 0)
            rows.AddRange(SectionScoring.RewardBench(rewardBench, seed).ToRows(method));
        var bySection = judged.Where(j => RewardBenchSections.SectionOf(j.Pair.Subset) is null)
            .GroupBy(j => j.Pair.Subset, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<ItemOutcome>)[.. g.Select(j => j.Outcome)], StringComparer.Ordinal);
        foreach (var (section, outcomes) in bySection.OrderBy(s => s.Key, StringComparer.Ordinal))
            rows.Add(SectionScoring.Plain(section, outcomes).ToRow(method));
        if (RewardBenchSections.Sections.All(bySection.ContainsKey))
            rows.Add(SectionScoring.MeanOfSections(RewardBenchSections.Overall,
                RewardBenchSections.Sections.ToDictionary(s => s, s => bySection[s], StringComparer.Ordinal), seed).ToRow(method));
        return rows;
    }
}
