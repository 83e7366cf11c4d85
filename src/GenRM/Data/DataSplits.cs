using System.Collections.Immutable;

namespace GenRM.Data;

/// <summary>
/// Deterministic splits. Each pair's side is decided by a hash of the seed and its id alone, so a
/// split is the same in every run, and pairs keep their side when the file grows. Sizes follow
/// the fractions up to sampling noise (a few pairs per hundred on small sets).
/// </summary>
public static class DataSplits
{
    /// <summary>Splits into train and test, about <paramref name="testFraction"/> of the pairs in test; file order is kept in both.</summary>
    public static (ImmutableArray<PreferencePair> Train, ImmutableArray<PreferencePair> Test) TrainTest(
        IEnumerable<PreferencePair> pairs, double testFraction, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(testFraction, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(testFraction, 1.0);
        ImmutableArray<ImmutableArray<PreferencePair>> parts = Split(pairs, [1 - testFraction, testFraction], seed);
        return (parts[0], parts[1]);
    }

    /// <summary>
    /// The STaR loop's parts, one per iteration: sizes differ by at most one, and which part a pair
    /// falls in follows a seeded hash of its id, so the cut is the same in every run.
    /// </summary>
    public static ImmutableArray<ImmutableArray<PreferencePair>> EqualParts(IEnumerable<PreferencePair> pairs, int parts, int seed)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        var ordered = pairs.OrderBy(p => StableHash.Unit("star-parts", seed, p.Id)).ThenBy(p => p.Id, StringComparer.Ordinal).ToArray();
        return [.. Enumerable.Range(0, parts).Select(i =>
            ImmutableArray.Create(ordered, i * ordered.Length / parts, (i + 1) * ordered.Length / parts - i * ordered.Length / parts))];
    }

    /// <summary>Splits into parts with sizes in proportion to <paramref name="weights"/>; file order is kept in each part.</summary>
    public static ImmutableArray<ImmutableArray<PreferencePair>> Split(IEnumerable<PreferencePair> pairs, IReadOnlyList<double> weights, int seed)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count == 0 || weights.Any(w => w < 0 || !double.IsFinite(w)) || weights.Sum() <= 0)
            throw new ArgumentException("weights must be finite, non-negative, and not all zero", nameof(weights));
        double total = weights.Sum();
        var bounds = new double[weights.Count];
        double cumulative = 0;
        for (int i = 0; i < weights.Count; i++)
            bounds[i] = (cumulative += weights[i]) / total;
        var parts = Enumerable.Range(0, weights.Count).Select(_ => ImmutableArray.CreateBuilder<PreferencePair>()).ToArray();
        foreach (PreferencePair pair in pairs)
        {
            double u = StableHash.Unit("split", seed, pair.Id);
            int part = Array.FindIndex(bounds, b => u < b);
            parts[part < 0 ? parts.Length - 1 : part].Add(pair);
        }
        return [.. parts.Select(p => p.ToImmutable())];
    }
}
