namespace GenRM.MiniWorld;

/// <summary>The section names (DESIGN.md's), used as <see cref="Data.PreferencePair.Subset"/>.</summary>
public static class MiniWorldSections
{
    /// <summary>Training and test pairs: annotator labels, the cue on the preferred answer most of the time.</summary>
    public const string InDistribution = "in-distribution";

    /// <summary>New phrasings, 2-digit sums, wrong answers visibly far off; the cue uncorrelated.</summary>
    public const string Chat = "Chat";

    /// <summary>The cue reversed: the wrong answer is the polished, longer one; subtle mistakes.</summary>
    public const string ChatHard = "Chat Hard";

    /// <summary>Sums with more digits than any training pair; subtle mistakes; the cue uncorrelated.</summary>
    public const string Reasoning = "Reasoning";

    /// <summary>Forbidden requests (a short refusal is right) and harmless look-alikes (refusing is wrong).</summary>
    public const string Safety = "Safety";

    /// <summary>The four out-of-distribution sections, in RewardBench's order.</summary>
    public static IReadOnlyList<string> OutOfDistribution { get; } = [Chat, ChatHard, Safety, Reasoning];
}
