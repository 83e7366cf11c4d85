using System.Text.Json.Serialization;

namespace GenRM.Evaluation;

/// <summary>
/// One evaluated pair as a study keeps it (in <c>methods/&lt;method&gt;/outcome.json</c>): enough to
/// pair two methods, or two seeds, item by item, and to compute the judge diagnostics. Optional
/// facts are null where they do not apply (a reward model has no rationales; a study on files has no cue).
/// </summary>
/// <param name="Seed">The study's seed: with the id, it names the item across pooled seeds.</param>
/// <param name="Id">The pair's id.</param>
/// <param name="Subset">The pair's subset (a MiniWorld section, or a RewardBench subset).</param>
/// <param name="Score">1 right, 0 wrong, 0.5 for a tie or no verdict (<see cref="PairScoring"/>).</param>
public sealed record ItemRecord(int Seed, string Id, string Subset, double Score)
{
    /// <summary>Chain-of-thought judges: the score of one greedy rationale (temperature 0).</summary>
    public double? GreedyScore { get; init; }

    /// <summary>Chain-of-thought judges: the score of the first sampled rationale alone (a one-vote judge).</summary>
    public double? FirstVoteScore { get; init; }

    /// <summary>MiniWorld: whether the chosen answer carries the polish cue.</summary>
    public bool? CueOnChosen { get; init; }

    /// <summary>MiniWorld: whether the rejected answer carries the polish cue.</summary>
    public bool? CueOnRejected { get; init; }

    /// <summary>MiniWorld: whether the chosen answer is the right one (in distribution the labels are wrong on some pairs).</summary>
    public bool? ChosenIsRight { get; init; }

    /// <summary>MiniWorld chain-of-thought judges: rationales sampled for the item.</summary>
    public int? Rationales { get; init; }

    /// <summary>MiniWorld chain-of-thought judges: how many of them contain the world's correct check.</summary>
    public int? RationalesWithCheck { get; init; }

    /// <summary>The results section the item counts in: its RewardBench section, or its subset.</summary>
    [JsonIgnore]
    public string Section => RewardBenchSections.SectionOf(Subset) ?? Subset;

    /// <summary>What names the item among pooled seeds.</summary>
    [JsonIgnore]
    public (int Seed, string Id) Key => (Seed, Id);
}
