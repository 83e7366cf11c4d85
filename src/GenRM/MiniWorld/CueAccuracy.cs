using GenRM.Data;
using GenRM.Evaluation;
using GenRM.Judging;
using GenRM.Reporting;

namespace GenRM.MiniWorld;

/// <summary>Where MiniWorld's surface cue (the polite, longer style) sits in a pair.</summary>
public static class CuePlacement
{
    public const string OnChosen = "cue on chosen";
    public const string OnRejected = "cue on rejected";
    public const string Neither = "cue on both or neither";

    /// <summary>In the order charts and tables list them.</summary>
    public static IReadOnlyList<string> All { get; } = [OnChosen, OnRejected, Neither];

    public static string Of(WorldPair pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        return pair.CueOnChosen == pair.CueOnRejected ? Neither : pair.CueOnChosen ? OnChosen : OnRejected;
    }
}

/// <summary>A judge's accuracy on one section's pairs with the cue in one place.</summary>
/// <param name="Section">The section (the pairs' subset).</param>
/// <param name="Cue">One of <see cref="CuePlacement.All"/>.</param>
/// <param name="Accuracy">Mean item score, NaN when no pair has the cue there.</param>
/// <param name="N">Pairs.</param>
/// <param name="Ci95">Wilson 95 % interval.</param>
public sealed record CueAccuracy(string Section, string Cue, double Accuracy, int N, ConfidenceInterval Ci95)
{
    /// <summary>
    /// Splits judged pairs by where the cue sat: a judge that checks the answers scores alike in
    /// every row; one that learned the shortcut scores high with the cue on the chosen answer and
    /// low with it on the rejected one. <paramref name="world"/> holds the facts about each pair (by id).
    /// </summary>
    /// <exception cref="ArgumentException">A judged pair the world does not know.</exception>
    public static IReadOnlyList<CueAccuracy> Split(IEnumerable<JudgedPair> judged, IEnumerable<WorldPair> world)
    {
        ArgumentNullException.ThrowIfNull(judged);
        ArgumentNullException.ThrowIfNull(world);
        var facts = world.ToDictionary(p => p.Pair.Id, StringComparer.Ordinal);
        var placed = judged.Select(j => (j.Pair.Subset, Cue: CuePlacement.Of(facts.TryGetValue(j.Pair.Id, out var fact)
            ? fact : throw new ArgumentException($"pair {j.Pair.Id} is not in the world given", nameof(world))), j.Outcome.Score)).ToList();
        return [.. StudyOrder.SortSections(placed.Select(p => p.Subset)).SelectMany(section => CuePlacement.All.Select(cue =>
        {
            var scores = placed.Where(p => p.Subset == section && p.Cue == cue).Select(p => p.Score).ToList();
            double sum = scores.Sum();
            return new CueAccuracy(section, cue, scores.Count == 0 ? double.NaN : sum / scores.Count, scores.Count, WilsonInterval.Compute(sum, scores.Count));
        }))];
    }

    /// <summary>Grouped columns: one group per section, one column per cue placement (a placement with no pairs draws none).</summary>
    public static PlotlyFigure Chart(IReadOnlyCollection<CueAccuracy> rows, string title)
    {
        ArgumentNullException.ThrowIfNull(rows);
        IReadOnlyList<string> sections = StudyOrder.SortSections(rows.Select(r => r.Section));
        var series = CuePlacement.All.Select(cue => KeyValuePair.Create(cue, (IReadOnlyList<double>)[.. sections.Select(section =>
            rows.FirstOrDefault(r => r.Section == section && r.Cue == cue)?.Accuracy ?? double.NaN)])).ToList();
        return PreferenceCharts.GroupedColumns(title, sections, series, "accuracy");
    }
}
