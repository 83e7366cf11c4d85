using GenRM.Reporting;

namespace GenRM.Data;

/// <summary>
/// Charts of what preference data looks like (lengths, length bias, label balance), for the notebooks
/// and the report. Each returns a <see cref="PlotlyFigure"/> a notebook displays as it is.
/// </summary>
public static class PreferenceCharts
{
    static readonly int[] RoundSteps = [1, 2, 5, 10];
    const string NoPairs = "no pairs";

    /// <summary>
    /// Histograms of the chosen and the rejected responses' lengths in characters, overlaid, over the
    /// same bins (a round bin width giving about 30 bins).
    /// </summary>
    public static PlotlyFigure Lengths(IReadOnlyCollection<PreferencePair> pairs, string title)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        int[] chosen = [.. pairs.Select(p => p.Chosen.Length)], rejected = [.. pairs.Select(p => p.Rejected.Length)];
        int lowest = pairs.Count == 0 ? 0 : Math.Min(chosen.Min(), rejected.Min());
        int highest = pairs.Count == 0 ? 0 : Math.Max(chosen.Max(), rejected.Max());
        int width = BinWidth(highest - lowest);
        int first = lowest / width * width, bins = (highest - first) / width + 1;
        double[] centers = [.. Enumerable.Range(0, bins).Select(b => first + width * (b + 0.5))];
        FigureTrace Histogram(string name, int[] lengths, int series)
        {
            var counts = new double[bins];
            foreach (int length in lengths)
                counts[(length - first) / width]++;
            return new FigureTrace { Kind = TraceKind.Bars, Name = name, Numbers = centers, Values = counts, BarWidth = width, Opacity = 0.6, Color = PlotlyFigure.ColorAt(series) };
        }
        return new PlotlyFigure
        {
            Title = title,
            XTitle = "response length (characters)",
            YTitle = "pairs",
            Traces = pairs.Count == 0 ? [] : [Histogram("chosen", chosen, 0), Histogram("rejected", rejected, 1)],
            Overlay = true,
            NoDataText = NoPairs,
        };
    }

    /// <summary>
    /// Per subset, the fraction of pairs whose chosen response is the longer one: 0.5 is no length
    /// bias; far from it, a judge that prefers the longer (or shorter) answer scores well without reading.
    /// </summary>
    public static PlotlyFigure LengthBias(IReadOnlyCollection<PreferencePair> pairs, string title)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var groups = pairs.GroupBy(p => SubsetName(p.Subset)).ToList();
        return Fractions(title, "chosen is longer", [.. groups.Select(g => g.Key)],
            [.. groups.Select(g => g.Average(p => p.Chosen.Length > p.Rejected.Length ? 1.0 : 0.0))]) with { NoDataText = NoPairs };
    }

    /// <summary>
    /// Per subset, the fraction of pairs whose chosen response came first in the file (label balance:
    /// a judge that always answers "A" scores this much). Subsets whose file keeps no order are left out.
    /// </summary>
    public static PlotlyFigure LabelBalance(IReadOnlyCollection<PreferencePair> pairs, string title)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var groups = pairs.Where(p => p.ChosenWasFirst is not null).GroupBy(p => SubsetName(p.Subset)).ToList();
        return Fractions(title, "chosen came first", [.. groups.Select(g => g.Key)],
            [.. groups.Select(g => g.Average(p => p.ChosenWasFirst!.Value ? 1.0 : 0.0))]) with { NoDataText = "no pairs whose file keeps their order" };
    }

    /// <summary>Grouped columns: one group per category, one column per series (fractions or counts).</summary>
    public static PlotlyFigure GroupedColumns(string title, IReadOnlyList<string> categories,
        IReadOnlyList<KeyValuePair<string, IReadOnlyList<double>>> series, string valueTitle)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(series);
        var columns = series.Select((s, i) => s.Value.Count == categories.Count
            ? new FigureTrace { Kind = TraceKind.Bars, Name = s.Key, Categories = categories, Values = s.Value, Color = PlotlyFigure.ColorAt(i) }
            : throw new ArgumentException($"series {s.Key} has {s.Value.Count} values for {categories.Count} categories", nameof(series)));
        return new PlotlyFigure { Title = title, YTitle = valueTitle, Traces = [.. columns], CategoryOrder = categories };
    }

    static PlotlyFigure Fractions(string title, string series, IReadOnlyList<string> subsets, IReadOnlyList<double> fractions) =>
        GroupedColumns(title, subsets, [KeyValuePair.Create(series, fractions)], "fraction of pairs");

    static string SubsetName(string subset) => subset.Length == 0 ? "(none)" : subset;

    /// <summary>A round bin width (1, 2 or 5 times a power of ten) giving about 30 bins over <paramref name="span"/>.</summary>
    static int BinWidth(int span)
    {
        double raw = Math.Max(1, span / 30.0);
        int power = (int)Math.Pow(10, Math.Floor(Math.Log10(raw)));
        return RoundSteps.Select(m => m * power).First(w => w >= raw);
    }
}
