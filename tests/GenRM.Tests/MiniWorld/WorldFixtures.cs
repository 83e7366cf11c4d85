using GenRM.Data;
using GenRM.MiniWorld;

namespace GenRM.Tests.MiniWorld;

/// <summary>Worlds the tests share, and a byte-exact rendering of a world for comparisons.</summary>
internal static class WorldFixtures
{
    public static MiniWorldSplits Default(long seed = 1) => MiniWorldSplits.Generate(MiniWorldConfig.Default, seed);

    /// <summary>Every pair of the world: training pairs first, then each evaluation section.</summary>
    public static IEnumerable<WorldPair> AllPairs(MiniWorldSplits world) =>
        world.Train.Concat(MiniWorldSplits.EvaluationSections.SelectMany(s => world.Section(s)));

    /// <summary>Every field of every pair, in order, as one string.</summary>
    public static string Serialize(MiniWorldSplits world) =>
        string.Join("\u0001", AllPairs(world).Select(p => Serialize(p.Pair)));

    public static string Serialize(PreferencePair p) =>
        string.Join("\u0002", [p.Id, .. p.Prompt.Select(m => m.Role + ":" + m.Content), p.Chosen, p.Rejected, p.Subset, p.Source]);

    /// <summary>True when an observed fraction of <paramref name="n"/> trials is within 4 standard deviations of <paramref name="p"/>.</summary>
    public static bool WithinBinomialBounds(double observedFraction, int n, double p) =>
        Math.Abs(observedFraction - p) <= 4 * Math.Sqrt(p * (1 - p) / n) + 1e-12;
}
