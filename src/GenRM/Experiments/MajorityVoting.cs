using GenRM.Evaluation;
using GenRM.Judging;
using GenRM.Reporting;

namespace GenRM.Experiments;

/// <summary>
/// How a chain-of-thought judge's accuracy grows with the number of sampled verdicts it votes over:
/// from one judging run with k samples per item, the accuracy when each item's verdict is the
/// majority of only its first 1, 3, ... samples (a tie or no parsed vote is no verdict, scored 0.5).
/// </summary>
public static class MajorityVoting
{
    /// <summary>Per section (the pairs' subsets) and per vote count in <paramref name="votes"/>, the accuracy with its Wilson interval.</summary>
    /// <exception cref="ArgumentException">No pair carries sampled votes, or a vote count is below 1 or above the samples every pair has.</exception>
    public static IReadOnlyList<MajorityVoteStats> Measure(string method, IReadOnlyList<JudgedPair> judged, IEnumerable<int> votes)
    {
        ArgumentNullException.ThrowIfNull(judged);
        ArgumentNullException.ThrowIfNull(votes);
        if (judged.Count == 0 || judged.Any(j => j.Judgement.Votes is not { Count: > 0 }))
            throw new ArgumentException($"{method}: majority voting needs every pair judged with sampled votes (a chain-of-thought judge).", nameof(judged));
        int available = judged.Min(j => j.Judgement.Votes!.Count);
        int[] counts = [.. votes.Distinct().Order()];
        if (counts.Length == 0 || counts[0] < 1 || counts[^1] > available)
            throw new ArgumentException($"{method}: vote counts must be 1 to {available}, the samples every pair has (got {string.Join(", ", counts)}).", nameof(votes));
        var bySection = judged.GroupBy(j => j.Pair.Subset, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        return [.. StudyOrder.SortSections(bySection.Keys).SelectMany(section => counts.Select(k =>
        {
            var score = SectionScoring.Plain(section, bySection[section].Select(j =>
                ItemOutcome.FromVerdict(j.Pair, GenerativeJudge.Majority([.. j.Judgement.Votes!.Take(k)]), j.ChosenShownAsA)));
            return new MajorityVoteStats(method, section, k, score.Accuracy, score.Ci95);
        }))];
    }
}
