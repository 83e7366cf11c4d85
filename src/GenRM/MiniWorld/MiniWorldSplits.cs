using System.Collections.Immutable;
using GenRM.Data;

namespace GenRM.MiniWorld;

/// <summary>
/// The whole world for a config and seed: the in-distribution training and test pairs and the four
/// out-of-distribution sections. The same seed gives the same world, byte for byte; each section
/// draws from its own stream, so changing one size leaves the other sections as they were.
/// </summary>
public sealed class MiniWorldSplits
{
    readonly IReadOnlyDictionary<string, ImmutableArray<WorldPair>> _sections;

    MiniWorldSplits(MiniWorldConfig config, long seed, IReadOnlyDictionary<string, ImmutableArray<WorldPair>> sections, ImmutableArray<WorldPair> train)
    {
        Config = config;
        Seed = seed;
        _sections = sections;
        Train = train;
    }

    public MiniWorldConfig Config { get; }

    public long Seed { get; }

    /// <summary>In-distribution training pairs, labelled by the simulated annotators.</summary>
    public ImmutableArray<WorldPair> Train { get; }

    /// <summary>The sections judges are scored on: in-distribution (the test split), then Chat, Chat Hard, Safety, Reasoning.</summary>
    public static IReadOnlyList<string> EvaluationSections { get; } = [MiniWorldSections.InDistribution, .. MiniWorldSections.OutOfDistribution];

    /// <summary>An evaluation section by name (see <see cref="EvaluationSections"/>).</summary>
    public ImmutableArray<WorldPair> Section(string name) =>
        _sections.TryGetValue(name, out var pairs) ? pairs
        : throw new ArgumentException($"no MiniWorld section '{name}' (sections: {string.Join(", ", EvaluationSections)})", nameof(name));

    /// <summary>The preference pairs of <see cref="Train"/>.</summary>
    public ImmutableArray<PreferencePair> TrainPairs => [.. Train.Select(p => p.Pair)];

    /// <summary>The preference pairs of an evaluation section.</summary>
    public ImmutableArray<PreferencePair> SectionPairs(string name) => [.. Section(name).Select(p => p.Pair)];

    /// <summary>Every evaluation section's pairs in one list, in <see cref="EvaluationSections"/> order; each pair's subset names its section.</summary>
    public ImmutableArray<PreferencePair> EvaluationPairs => [.. EvaluationSections.SelectMany(s => Section(s).Select(p => p.Pair))];

    /// <summary>Generates the world; throws <see cref="BadInputException"/> for an invalid config.</summary>
    public static MiniWorldSplits Generate(MiniWorldConfig config, long seed)
    {
        config.Validate();
        var builder = new SectionBuilder(config, seed);
        var train = builder.Build("train", MiniWorldSections.InDistribution, config.TrainPairs, (rng, id, subset) => builder.InDistribution(rng, id, subset, training: true));
        var sections = new Dictionary<string, ImmutableArray<WorldPair>>
        {
            [MiniWorldSections.InDistribution] = builder.Build("test", MiniWorldSections.InDistribution, config.TestPairs, (rng, id, subset) => builder.InDistribution(rng, id, subset, training: false)),
            [MiniWorldSections.Chat] = builder.Build("chat", MiniWorldSections.Chat, config.ChatPairs, builder.Chat),
            [MiniWorldSections.ChatHard] = builder.Build("chat-hard", MiniWorldSections.ChatHard, config.ChatHardPairs, builder.ChatHard),
            [MiniWorldSections.Safety] = builder.Build("safety", MiniWorldSections.Safety, config.SafetyPairs, builder.Safety),
            [MiniWorldSections.Reasoning] = builder.Build("reasoning", MiniWorldSections.Reasoning, config.ReasoningPairs, builder.Reasoning),
        };
        return new MiniWorldSplits(config, seed, sections, train);
    }
}
