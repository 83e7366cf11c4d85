using GenRM.Evaluation;
using GenRM.Judging;

namespace GenRM.Experiments;

/// <summary>Turns a method's judged pairs into the item records its outcome keeps (<see cref="ItemRecord"/>).</summary>
internal static class ItemRecords
{
    /// <summary>
    /// One record per judged pair, in order: its score, the first vote's and the greedy readout's
    /// (chain-of-thought judges; <paramref name="greedy"/> judged the same pairs in the same order),
    /// and, for a MiniWorld study, the facts the diagnostics need.
    /// </summary>
    public static IReadOnlyList<ItemRecord> From(int seed, IReadOnlyList<JudgedPair> judged, IReadOnlyList<JudgedPair>? greedy, bool miniWorld)
    {
        if (greedy is not null && greedy.Count != judged.Count)
            throw new ArgumentException($"the greedy readout judged {greedy.Count} pairs, the vote {judged.Count}.", nameof(greedy));
        return [.. judged.Select((j, i) =>
        {
            var record = new ItemRecord(seed, j.Pair.Id, j.Pair.Subset, j.Outcome.Score)
            {
                GreedyScore = greedy?[i].Outcome.Score,
                FirstVoteScore = j.Judgement.Votes is { Count: > 0 } votes ? PairScoring.Verdict(votes[0], j.ChosenShownAsA) : null,
            };
            return miniWorld ? MiniWorldFacts.Add(record, j) : record;
        })];
    }
}
