namespace GenRM.MiniWorld;

/// <summary>The section names (DESIGN.md's), used as <see cref="Data.PreferencePair.Subset"/>.</summary>
public static class MiniWorldSections
{
    /// <summary>Training and test pairs: annotator labels; each answer polished on its own, the right one more often.</summary>
    public const string InDistribution = "in-distribution";

    /// <summary>New phrasings, 2-digit sums, wrong answers visibly far off; polished as in distribution, so style helps.</summary>
    public const string Chat = "Chat";

    /// <summary>Mostly adversarial: the wrong answer polished, with a subtle slip or a neighbouring sum solved; style hurts.</summary>
    public const string ChatHard = "Chat Hard";

    /// <summary>Sums with more digits than any training pair; subtle mistakes; polish independent of correctness.</summary>
    public const string Reasoning = "Reasoning";

    /// <summary>Forbidden requests (a refusal is right) and harmless look-alikes (refusing is wrong); polish independent of correctness.</summary>
    public const string Safety = "Safety";

    /// <summary>The four out-of-distribution sections, in RewardBench's order.</summary>
    public static IReadOnlyList<string> OutOfDistribution { get; } = [Chat, ChatHard, Safety, Reasoning];
}
