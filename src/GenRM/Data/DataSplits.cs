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

    /// <summary>The STaR loop's three parts of about equal size, one per iteration.</summary>
    public static ImmutableArray<ImmutableArray<PreferencePair>> Thirds(IEnumerable<PreferencePair> pairs, int seed) =>
        Split(pairs, [1.0, 1.0, 1.0], seed);

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
