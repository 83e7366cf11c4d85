using System.Collections.Immutable;

namespace GenRM.Evaluation;

/// <summary>Subset, section and overall scores from per-item outcomes, with 95 % intervals.</summary>
public static class SectionScoring
{
    /// <summary>Plain accuracy over all items (the in-distribution section), with a Wilson interval.</summary>
    public static SectionScore Plain(string section, IEnumerable<ItemOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var scores = outcomes.Select(o => o.Score).ToList();
        double sum = scores.Sum();
        return new SectionScore(section, scores.Count == 0 ? double.NaN : sum / scores.Count, scores.Count, WilsonInterval.Compute(sum, scores.Count));
    }

    /// <summary>
    /// RewardBench scoring: each subset's accuracy; each section as the subset accuracies weighted
    /// by the published counts, over the subsets present; the overall score as the mean of the
    /// four sections, given only when all four are present. Section intervals come from a
    /// bootstrap that resamples items within each subset, seeded.
    /// </summary>
    public static RewardBenchReport RewardBench(IEnumerable<ItemOutcome> outcomes, int seed, int resamples = 1000)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 2);
        // Ordinal order makes the bootstrap's use of the random stream the same in every run.
        var bySubset = outcomes.GroupBy(o => o.Subset, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(o => o.Score).ToArray(), StringComparer.Ordinal);
        ImmutableArray<SubsetScore> subsets = [.. bySubset.Select(s =>
            new SubsetScore(s.Key, RewardBenchSections.SectionOf(s.Key), s.Value.Average(), s.Value.Length, WilsonInterval.Compute(s.Value.Sum(), s.Value.Length)))];
        Dictionary<string, double> point = Sections(bySubset.ToDictionary(s => s.Key, s => s.Value.Average()));

        var samples = point.Keys.ToDictionary(k => k, _ => new double[resamples]);
        var random = new Random(seed);
        var resampled = new Dictionary<string, double>(bySubset.Count, StringComparer.Ordinal);
        for (int b = 0; b < resamples; b++)
        {
            foreach (var (subset, scores) in bySubset)
            {
                double sum = 0;
                for (int i = 0; i < scores.Length; i++)
                    sum += scores[random.Next(scores.Length)];
                resampled[subset] = sum / scores.Length;
            }
            foreach (var (section, value) in Sections(resampled))
                samples[section][b] = value;
        }

        int Count(string section) => subsets.Where(s => s.Section is not null && (section == RewardBenchSections.Overall || s.Section == section)).Sum(s => s.N);
        ImmutableArray<SectionScore> sections = [.. RewardBenchSections.Sections.Append(RewardBenchSections.Overall)
            .Where(point.ContainsKey)
            .Select(name => new SectionScore(name, point[name], Count(name), Percentiles.Ci95(samples[name])))];
        return new RewardBenchReport(subsets, sections);
    }

    /// <summary>
    /// Section scores from subset accuracies: each section that has at least one of its subsets,
    /// weighted by RewardBench's counts; RewardBench overall when all four sections are there.
    /// Subsets RewardBench does not know are left out.
    /// </summary>
    public static Dictionary<string, double> Sections(IReadOnlyDictionary<string, double> subsetAccuracies)
    {
        ArgumentNullException.ThrowIfNull(subsetAccuracies);
        var sections = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string section in RewardBenchSections.Sections)
        {
            double weighted = 0, weights = 0;
            foreach (var (subset, accuracy) in subsetAccuracies)
            {
                if (RewardBenchSections.Subsets.TryGetValue(subset, out var entry) && entry.Section == section)
                {
                    weighted += accuracy * entry.Weight;
                    weights += entry.Weight;
                }
            }
            if (weights > 0)
                sections[section] = weighted / weights;
        }
        if (sections.Count == RewardBenchSections.Sections.Length)
            sections[RewardBenchSections.Overall] = sections.Values.Average();
        return sections;
    }

    /// <summary>
    /// An unweighted mean of section accuracies (MiniWorld's "RewardBench" row: the mean of its four
    /// out-of-distribution sections, as RewardBench's overall is the mean of its four). The interval
    /// comes from a seeded bootstrap that resamples items within each section.
    /// </summary>
    public static SectionScore MeanOfSections(string name, IReadOnlyDictionary<string, IReadOnlyList<ItemOutcome>> bySection, int seed, int resamples = 1000)
    {
        ArgumentNullException.ThrowIfNull(bySection);
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 2);
        var sections = bySection.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Value.Select(o => o.Score).ToArray()).ToArray();
        if (sections.Length == 0 || sections.Any(s => s.Length == 0))
            throw new ArgumentException("Every section needs at least one outcome.", nameof(bySection));
        var random = new Random(seed);
        var means = new double[resamples];
        for (int b = 0; b < resamples; b++)
        {
            double total = 0;
            foreach (double[] scores in sections)
            {
                double sum = 0;
                for (int i = 0; i < scores.Length; i++)
                    sum += scores[random.Next(scores.Length)];
                total += sum / scores.Length;
            }
            means[b] = total / sections.Length;
        }
        return new SectionScore(name, sections.Average(s => s.Average()), sections.Sum(s => s.Length), Percentiles.Ci95(means));
    }
}

/// <summary>RewardBench scores of one method: per subset, and per section (plus overall when complete).</summary>
public sealed record RewardBenchReport(ImmutableArray<SubsetScore> Subsets, ImmutableArray<SectionScore> Sections)
{
    /// <summary>The section scores as results.json rows for <paramref name="method"/>.</summary>
    public IEnumerable<ResultRow> ToRows(string method) => Sections.Select(s => s.ToRow(method));
}
