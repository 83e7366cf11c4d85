using System.Globalization;

namespace GenRM.Evaluation;

/// <summary>
/// How item records make up a results section, so that a score over items equals the section's row:
/// a section is the mean over its subsets weighted by RewardBench's counts (a MiniWorld section is
/// its own single subset), and <c>RewardBench</c> the unweighted mean of the four sections.
/// </summary>
public static class ItemSections
{
    /// <summary>
    /// The values of <paramref name="items"/> in <paramref name="section"/>, grouped by subset and
    /// stratified by seed, with each subset's weight; null when the section has no items, or is
    /// RewardBench and one of its four sections is missing.
    /// </summary>
    public static (IReadOnlyList<StratifiedValue> Values, IReadOnlyDictionary<string, double> Weights)? Values(
        IEnumerable<ItemRecord> items, string section, Func<ItemRecord, double> value)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(value);
        bool overall = section == RewardBenchSections.Overall;
        var inSection = items.Where(i => overall ? RewardBenchSections.Sections.Contains(i.Section) : i.Section == section).ToList();
        if (inSection.Count == 0) return null;
        var sections = inSection.GroupBy(i => i.Section, StringComparer.Ordinal).ToList();
        if (overall && sections.Count < RewardBenchSections.Sections.Length) return null;
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var part in sections)
        {
            var subsets = part.Select(i => i.Subset).Distinct(StringComparer.Ordinal).ToArray();
            double total = subsets.Sum(SubsetWeight);
            foreach (string subset in subsets)
                weights[subset] = SubsetWeight(subset) / total / sections.Count;
        }
        return ([.. inSection.Select(i => new StratifiedValue(i.Subset, i.Seed.ToString(CultureInfo.InvariantCulture), value(i)))], weights);
    }

    /// <summary>The section's accuracy and its interval by a bootstrap stratified by seed and subset; null as for <see cref="Values"/>.</summary>
    public static BootstrapEstimate? Accuracy(IEnumerable<ItemRecord> items, string section, int seed, Func<ItemRecord, double>? score = null)
    {
        var values = Values(items, section, score ?? (i => i.Score));
        return values is { } v ? StratifiedBootstrap.Estimate(v.Values, v.Weights, seed) : null;
    }

    static double SubsetWeight(string subset) => RewardBenchSections.Subsets.TryGetValue(subset, out var entry) ? entry.Weight : 1;
}
