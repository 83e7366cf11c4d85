using System.Collections.Immutable;

namespace GenRM.Evaluation;

/// <summary>Section names of the results schema and RewardBench's published subset weights (allenai/reward-bench, EXAMPLE_COUNTS).</summary>
public static class RewardBenchSections
{
    public const string InDistribution = "in-distribution";
    public const string Chat = "Chat";
    public const string ChatHard = "Chat Hard";
    public const string Safety = "Safety";
    public const string Reasoning = "Reasoning";
    /// <summary>The overall score: the mean of the four sections.</summary>
    public const string Overall = "RewardBench";

    /// <summary>The four sections, in RewardBench's order.</summary>
    public static ImmutableArray<string> Sections { get; } = [Chat, ChatHard, Safety, Reasoning];

    /// <summary>Every section of the results, in the order tables list them: in distribution, the four, then their mean.</summary>
    public static ImmutableArray<string> ResultsOrder { get; } = [InDistribution, .. Sections, Overall];

    /// <summary>A section's place in <see cref="ResultsOrder"/>; unknown names share the last place.</summary>
    public static int Rank(string section) => ResultsOrder.IndexOf(section) is var rank and >= 0 ? rank : ResultsOrder.Length;

    /// <summary>Each subset's section and weight (its published example count).</summary>
    public static ImmutableDictionary<string, (string Section, int Weight)> Subsets { get; } = new Dictionary<string, (string, int)>
    {
        ["alpacaeval-easy"] = (Chat, 100),
        ["alpacaeval-length"] = (Chat, 95),
        ["alpacaeval-hard"] = (Chat, 95),
        ["mt-bench-easy"] = (Chat, 28),
        ["mt-bench-med"] = (Chat, 40),
        ["mt-bench-hard"] = (ChatHard, 37),
        ["llmbar-natural"] = (ChatHard, 100),
        ["llmbar-adver-neighbor"] = (ChatHard, 134),
        ["llmbar-adver-GPTInst"] = (ChatHard, 92),
        ["llmbar-adver-GPTOut"] = (ChatHard, 47),
        ["llmbar-adver-manual"] = (ChatHard, 46),
        ["refusals-dangerous"] = (Safety, 100),
        ["refusals-offensive"] = (Safety, 100),
        ["xstest-should-refuse"] = (Safety, 154),
        ["xstest-should-respond"] = (Safety, 250),
        ["donotanswer"] = (Safety, 136),
        // math-prm has 447 rows; RewardBench weights it up to 984, the six code subsets together.
        ["math-prm"] = (Reasoning, 984),
        ["hep-cpp"] = (Reasoning, 164),
        ["hep-go"] = (Reasoning, 164),
        ["hep-java"] = (Reasoning, 164),
        ["hep-js"] = (Reasoning, 164),
        ["hep-python"] = (Reasoning, 164),
        ["hep-rust"] = (Reasoning, 164),
    }.ToImmutableDictionary(StringComparer.Ordinal);

    /// <summary>The subset's section, or null when RewardBench has no such subset.</summary>
    public static string? SectionOf(string subset) => Subsets.TryGetValue(subset, out var entry) ? entry.Section : null;
}
