namespace GenRM.Evaluation;

/// <summary>One item's value in a stratified bootstrap: the group it is averaged in, the stratum it is resampled in, and the value.</summary>
public readonly record struct StratifiedValue(string Group, string Stratum, double Value);

/// <summary>A bootstrapped statistic: its value on the data, its 95 % percentile interval, the items and the resamples behind it.</summary>
public sealed record BootstrapEstimate(double Value, ConfidenceInterval Ci95, int N, int Resamples);

/// <summary>
/// A percentile bootstrap of a weighted mean of group means, resampling items with replacement
/// inside each (group, stratum) cell so every cell keeps its size. Groups are sections (or
/// RewardBench subsets, weighted as RewardBench weighs them); strata are seeds when several are
/// pooled. Seeded: the same values and seed give the same interval.
/// </summary>
public static class StratifiedBootstrap
{
    /// <summary>Resamples unless told otherwise.</summary>
    public const int DefaultResamples = 2000;

    /// <summary>
    /// Σ_g w_g · mean(values in g) / Σ_g w_g, with its 95 % interval. Groups missing from
    /// <paramref name="groupWeights"/> (or every group, when it is null) weigh 1.
    /// </summary>
    /// <exception cref="ArgumentException">No values.</exception>
    public static BootstrapEstimate Estimate(IEnumerable<StratifiedValue> values, IReadOnlyDictionary<string, double>? groupWeights, int seed,
        int resamples = DefaultResamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 2);
        var design = new Design(values, groupWeights);
        var random = new Random(seed);
        var samples = new double[resamples];
        for (int b = 0; b < resamples; b++)
        {
            samples[b] = design.Statistic(cell =>
            {
                double sum = 0;
                for (int i = 0; i < cell.Length; i++) sum += cell[random.Next(cell.Length)];
                return sum;
            });
        }
        return new BootstrapEstimate(design.Statistic(cell => cell.Sum()), Percentiles.Ci95(samples), design.N, resamples);
    }

    /// <summary>The weighted mean of group means alone, as <see cref="Estimate"/> computes it on the data.</summary>
    public static double Mean(IEnumerable<StratifiedValue> values, IReadOnlyDictionary<string, double>? groupWeights) =>
        new Design(values, groupWeights).Statistic(cell => cell.Sum());

    /// <summary>The values cut into (group, stratum) cells in ordinal order, which makes the use of the random stream the same in every run.</summary>
    sealed class Design
    {
        readonly (int Group, double[] Values)[] cells;
        readonly double[] weights;
        readonly int[] groupSizes;

        public Design(IEnumerable<StratifiedValue> values, IReadOnlyDictionary<string, double>? groupWeights)
        {
            ArgumentNullException.ThrowIfNull(values);
            var grouped = values.GroupBy(v => (v.Group, v.Stratum))
                .OrderBy(c => c.Key.Group, StringComparer.Ordinal).ThenBy(c => c.Key.Stratum, StringComparer.Ordinal)
                .Select(c => (c.Key.Group, Values: c.Select(v => v.Value).ToArray())).ToArray();
            if (grouped.Length == 0)
                throw new ArgumentException("A bootstrap needs at least one value.", nameof(values));
            string[] groups = [.. grouped.Select(c => c.Group).Distinct(StringComparer.Ordinal)];
            cells = [.. grouped.Select(c => (Array.IndexOf(groups, c.Group), c.Values))];
            weights = [.. groups.Select(g => groupWeights is not null && groupWeights.TryGetValue(g, out double w) ? w : 1.0)];
            groupSizes = new int[groups.Length];
            foreach (var cell in cells) groupSizes[cell.Group] += cell.Values.Length;
            N = groupSizes.Sum();
        }

        public int N { get; }

        /// <summary>The statistic, each cell contributing <paramref name="cellSum"/> of its values.</summary>
        public double Statistic(Func<double[], double> cellSum)
        {
            var sums = new double[weights.Length];
            foreach (var cell in cells) sums[cell.Group] += cellSum(cell.Values);
            double total = 0, weight = 0;
            for (int g = 0; g < weights.Length; g++)
            {
                total += weights[g] * sums[g] / groupSizes[g];
                weight += weights[g];
            }
            return total / weight;
        }
    }
}
