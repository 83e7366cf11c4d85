using Plotly.NET;
using Plotly.NET.CSharp;
using PlotlyChart = Plotly.NET.CSharp.Chart;

namespace GenRM.Data;

/// <summary>
/// Plotly charts of what preference data looks like (lengths, length bias, label balance), for the
/// notebooks and the report. Each returns a <see cref="GenericChart"/> a notebook displays as it is.
/// </summary>
public static class PreferenceCharts
{
    /// <summary>Histograms of the chosen and the rejected responses' lengths in characters, overlaid.</summary>
    public static GenericChart Lengths(IReadOnlyCollection<PreferencePair> pairs, string title)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var chosen = PlotlyChart.Histogram<int, int, string>(X: pairs.Select(p => p.Chosen.Length).ToArray(), Name: "chosen", Opacity: 0.6);
        var rejected = PlotlyChart.Histogram<int, int, string>(X: pairs.Select(p => p.Rejected.Length).ToArray(), Name: "rejected", Opacity: 0.6);
        return Titled(PlotlyChart.Combine([chosen, rejected]), title, "response length (characters)", "pairs");
    }

    /// <summary>
    /// Per subset, the fraction of pairs whose chosen response is the longer one: 0.5 is no length
    /// bias; far from it, a judge that prefers the longer (or shorter) answer scores well without reading.
    /// </summary>
    public static GenericChart LengthBias(IReadOnlyCollection<PreferencePair> pairs, string title)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var groups = pairs.GroupBy(p => SubsetName(p.Subset)).ToList();
        return Fractions(title, "chosen is longer", [.. groups.Select(g => g.Key)],
            [.. groups.Select(g => g.Average(p => p.Chosen.Length > p.Rejected.Length ? 1.0 : 0.0))]);
    }

    /// <summary>
    /// Per subset, the fraction of pairs whose chosen response came first in the file (label balance:
    /// a judge that always answers "A" scores this much). Subsets whose file keeps no order are left out.
    /// </summary>
    public static GenericChart LabelBalance(IReadOnlyCollection<PreferencePair> pairs, string title)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var groups = pairs.Where(p => p.ChosenWasFirst is not null).GroupBy(p => SubsetName(p.Subset)).ToList();
        return Fractions(title, "chosen came first", [.. groups.Select(g => g.Key)],
            [.. groups.Select(g => g.Average(p => p.ChosenWasFirst!.Value ? 1.0 : 0.0))]);
    }

    /// <summary>Grouped columns: one group per category, one column per series (fractions or counts).</summary>
    public static GenericChart GroupedColumns(string title, IReadOnlyList<string> categories,
        IReadOnlyList<KeyValuePair<string, IReadOnlyList<double>>> series, string valueTitle)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(series);
        var columns = series.Select(s =>
        {
            if (s.Value.Count != categories.Count)
                throw new ArgumentException($"series {s.Key} has {s.Value.Count} values for {categories.Count} categories", nameof(series));
            return PlotlyChart.Column<double, string, string>(s.Value, Keys: new Optional<IEnumerable<string>>(categories, true), Name: s.Key);
        });
        return Titled(PlotlyChart.Combine(columns), title, "", valueTitle);
    }

    static GenericChart Fractions(string title, string series, IReadOnlyList<string> subsets, IReadOnlyList<double> fractions) =>
        GroupedColumns(title, subsets, [KeyValuePair.Create(series, fractions)], "fraction of pairs");

    static string SubsetName(string subset) => subset.Length == 0 ? "(none)" : subset;

    static GenericChart Titled(GenericChart chart, string title, string xTitle, string yTitle)
    {
        chart = Plotly.NET.Chart.withTitle(title, null).Invoke(chart);
        if (xTitle.Length > 0)
            chart = chart.WithXAxisStyle<int, int, string>(TitleText: xTitle);
        return chart.WithYAxisStyle<int, int, string>(TitleText: yTitle);
    }
}
