using GenRM.Evaluation;
using GenRM.MiniWorld;

namespace GenRM.Reporting;

/// <summary>
/// One report from the same study run with several seeds (each its own world, training and
/// evaluation): accuracies pooled over every seed's items with intervals from a bootstrap stratified
/// by seed and section, each seed's own rows beside them, and the findings decided on all items,
/// paired within each seed.
/// </summary>
public static class SeedPooling
{
    /// <summary>Pools <paramref name="reports"/> (one per seed, in the order given); <paramref name="settings"/> is the shared spec.</summary>
    /// <exception cref="ArgumentException">No reports, or two with the same seed.</exception>
    public static StudyReport Pool(IReadOnlyList<StudyReport> reports, string settings)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Count == 0) throw new ArgumentException("nothing to pool.", nameof(reports));
        int[] seeds = [.. reports.Select(r => r.Run.Seed)];
        if (seeds.Distinct().Count() != seeds.Length) throw new ArgumentException($"seeds repeat: {string.Join(", ", seeds)}.", nameof(reports));
        StudyReport first = reports[0];
        var run = new RunInfo(first.Run.Preset, first.Run.Seed, first.Run.Device, reports.Min(r => r.Run.Started), reports.Sum(r => r.Run.Seconds));
        var items = reports.SelectMany(r => r.Items).GroupBy(i => i.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<ItemRecord>)[.. g.SelectMany(i => i.Value)], StringComparer.Ordinal);
        return new StudyReport(run, Rows(items, i => i.Score, first.Run.Seed))
        {
            TrainingCurves = first.TrainingCurves,
            StarIterations = [.. reports.SelectMany(r => r.StarIterations)],
            MajorityVotes = [.. reports.SelectMany(r => r.MajorityVotes)],
            PositionBias = reports.SelectMany(r => r.PositionBias).GroupBy(p => p.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => PoolBias([.. g.Select(p => p.Value)]), StringComparer.Ordinal),
            WorldDescription = first.WorldDescription,
            Items = items,
            GreedyResults = Rows(items.ToDictionary(m => m.Key, m => (IReadOnlyList<ItemRecord>)[.. m.Value.Where(i => i.GreedyScore is not null)]),
                i => i.GreedyScore!.Value, first.Run.Seed),
            Budgets = [.. reports.SelectMany(r => r.Budgets).GroupBy(b => b.Method, StringComparer.Ordinal).Select(MeanBudget)],
            Ceilings = [.. reports.SelectMany(r => r.Ceilings).GroupBy(c => c.Section, StringComparer.Ordinal).Select(MeanCeilings)],
            BaseModelCard = reports.Select(r => r.BaseModelCard).FirstOrDefault(c => c is not null),
            Settings = settings,
            Versions = first.Versions,
            Machine = first.Machine,
            Seeds = seeds,
            ResultsBySeed = reports.ToDictionary(r => r.Run.Seed, r => r.Results),
            Notes =
            [
                $"Pooled over seeds {string.Join(", ", seeds)}: each seed generated its own world and trained and judged every method on it; each seed's own report is in its seed-N folder.",
                $"The world described below, and the training curves, are seed {first.Run.Seed}'s. Budget cards are the mean over seeds; ceilings the mean of each seed's world.",
            ],
        };
    }

    /// <summary>Every method and section with items, pooled: the accuracy over all seeds' items and its stratified bootstrap interval.</summary>
    static List<ResultRow> Rows(IReadOnlyDictionary<string, IReadOnlyList<ItemRecord>> items, Func<ItemRecord, double> score, int seed) =>
    [
        .. StudyOrder.SortMethods(items.Keys).SelectMany(method =>
            StudyOrder.SortSections([.. items[method].Select(i => i.Section), RewardBenchSections.Overall])
                .Select(section => ItemSections.Accuracy(items[method], section, seed, score) is { } estimate
                    ? new ResultRow(method, section, estimate.Value, estimate.N, estimate.Ci95)
                    : null)
                .OfType<ResultRow>()),
    ];

    static PositionBiasReport PoolBias(IReadOnlyList<PositionBiasReport> reports)
    {
        static Proportion Sum(IEnumerable<Proportion> parts) => Proportion.Of(parts.Sum(p => p.N == 0 ? 0 : p.Value * p.N), parts.Sum(p => p.N));
        return new PositionBiasReport(Sum(reports.Select(r => r.ChosenFirst)), Sum(reports.Select(r => r.ChosenSecond)),
            Sum(reports.Select(r => r.BothOrders)), Sum(reports.Select(r => r.Consistency)));
    }

    static BudgetCard MeanBudget(IGrouping<string, BudgetCard> cards) => new(cards.Key,
        (int)Math.Round(cards.Average(c => c.OptimizerSteps)), (long)Math.Round(cards.Average(c => c.Examples)), (long)Math.Round(cards.Average(c => c.Tokens)),
        cards.Average(c => c.TrainingSeconds), cards.Average(c => c.SamplingSeconds));

    static SectionCeilings MeanCeilings(IGrouping<string, SectionCeilings> sections) => new(sections.Key, sections.Sum(c => c.Pairs),
        sections.Average(c => c.StyleOracle), sections.Average(c => c.AntiStyle), sections.Average(c => c.LongerAnswer),
        sections.Average(c => c.CorrectnessOracle), sections.Average(c => c.BayesOptimal));
}
