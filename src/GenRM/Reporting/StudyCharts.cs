using GenRM.Evaluation;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.CSharp;
using static GenRM.Reporting.StudyOrder;
using Chart = Plotly.NET.CSharp.Chart;

namespace GenRM.Reporting;

/// <summary>
/// The study's figures as Plotly.NET charts, for the HTML report and for notebooks (which display a
/// <see cref="GenericChart"/> inline). Accuracies are drawn in percent with their 95 % intervals as error bars.
/// </summary>
public static class StudyCharts
{
    const int Width = 960, Height = 460;
    const string AccuracyAxis = "accuracy (%)";

    /// <summary>Grouped bars: per method, its accuracy on every section (in distribution, each OOD section, the RewardBench mean).</summary>
    public static GenericChart Accuracy(IEnumerable<ResultRow> rows)
    {
        List<ResultRow> finite = [.. Finite(rows)];
        IReadOnlyList<string> methods = SortMethods(finite.Select(r => r.Method));
        var bars = SortSections(finite.Select(r => r.Section)).Select(section =>
        {
            var points = methods.Select(m => finite.FirstOrDefault(r => r.Method == m && r.Section == section)).OfType<ResultRow>().ToList();
            return Bars(section, [.. points.Select(p => p.Method)], [.. points.Select(p => p.Accuracy)], [.. points.Select(p => (ConfidenceInterval?)p.Ci95)]);
        });
        return Finish(Combine(bars), "Accuracy by method and section (95 % intervals)", "method", methods);
    }

    /// <summary>Lines per STaR method: held-out accuracy after each iteration, with 95 % intervals where measured.</summary>
    public static GenericChart StarIterations(IEnumerable<StarIterationStats> iterations)
    {
        ArgumentNullException.ThrowIfNull(iterations);
        var measured = iterations.Where(i => double.IsFinite(i.HeldOutAccuracy)).ToList();
        var byMethod = measured.ToLookup(i => i.Method, StringComparer.Ordinal);
        // Iterations as categories: whole-number ticks only, in numeric order.
        string[] steps = [.. measured.Select(i => i.Iteration).Distinct().Order().Select(Label)];
        var lines = SortMethods(byMethod.Select(g => g.Key)).Select(method =>
        {
            var points = byMethod[method].OrderBy(i => i.Iteration).ToList();
            return WithErrors(Chart.Line<string, double, string>(points.Select(p => Label(p.Iteration)), points.Select(p => 100 * p.HeldOutAccuracy), ShowMarkers: true, Name: method),
                [.. points.Select(p => p.HeldOutAccuracy)], [.. points.Select(p => p.Ci95)]);
        });
        // Autoscaled: a few points between iterations vanish on a 0-100 axis.
        return Finish(Combine(lines), "STaR: held-out accuracy per iteration (95 % intervals)", "iteration", steps, fullScale: false);

        static string Label(int iteration) => iteration.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Lines per method: <paramref name="metric"/> (a metrics-log key such as loss or rewards/accuracies) against the step.</summary>
    public static GenericChart TrainingCurves(IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, double>>> curves, string metric = "loss")
    {
        ArgumentNullException.ThrowIfNull(curves);
        var lines = SortMethods(curves.Keys).Select(method =>
        {
            var points = curves[method].Where(r => r.ContainsKey("step") && r.TryGetValue(metric, out double v) && double.IsFinite(v)).ToList();
            return (method, points);
        }).Where(c => c.points.Count > 0).Select(c =>
            Chart.Line<double, double, string>(c.points.Select(p => p["step"]), c.points.Select(p => p[metric]), Name: c.method));
        return Finish(Combine(lines), $"Training: {metric} per step", "step", categories: null, yTitle: metric, fullScale: false);
    }

    /// <summary>Lines of one method's <paramref name="metric"/> against the step (a single training run).</summary>
    public static GenericChart TrainingCurves(string method, IReadOnlyList<IReadOnlyDictionary<string, double>> rows, string metric = "loss") =>
        TrainingCurves(new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, double>>>(StringComparer.Ordinal) { [method] = rows }, metric);

    /// <summary>Lines per method and section: majority-vote accuracy against the number of sampled verdicts, with 95 % intervals.</summary>
    public static GenericChart MajorityVotes(IEnumerable<MajorityVoteStats> votes)
    {
        ArgumentNullException.ThrowIfNull(votes);
        var measured = votes.Where(v => double.IsFinite(v.Accuracy)).ToList();
        string[] counts = [.. measured.Select(v => v.Votes).Distinct().Order().Select(Label)];
        var lines = measured.GroupBy(v => (v.Method, v.Section))
            .OrderBy(g => MethodRank(g.Key.Method)).ThenBy(g => g.Key.Method, StringComparer.Ordinal)
            .ThenBy(g => SectionRank(g.Key.Section)).ThenBy(g => g.Key.Section, StringComparer.Ordinal)
            .Select(g =>
            {
                var points = g.OrderBy(v => v.Votes).ToList();
                return WithErrors(Chart.Line<string, double, string>(points.Select(p => Label(p.Votes)), points.Select(p => 100 * p.Accuracy), ShowMarkers: true, Name: $"{g.Key.Method}, {g.Key.Section}"),
                    [.. points.Select(p => p.Accuracy)], [.. points.Select(p => (ConfidenceInterval?)p.Ci95)]);
            });
        return Finish(Combine(lines), "Majority vote: accuracy by number of sampled verdicts (95 % intervals)", "votes per item", counts, fullScale: false);

        static string Label(int count) => count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Grouped bars per judge: accuracy with the chosen response shown first, shown second, over both
    /// orders, and the fraction of items judged the same in both orders (consistency).
    /// </summary>
    public static GenericChart PositionBias(IReadOnlyDictionary<string, PositionBiasReport> judges)
    {
        ArgumentNullException.ThrowIfNull(judges);
        IReadOnlyList<string> methods = SortMethods(judges.Keys);
        (string Name, Func<PositionBiasReport, Proportion> Part)[] parts =
        [
            ("chosen shown first", r => r.ChosenFirst),
            ("chosen shown second", r => r.ChosenSecond),
            ("both orders", r => r.BothOrders),
            ("consistency", r => r.Consistency),
        ];
        var bars = parts.Select(part =>
        {
            List<Proportion> values = [.. methods.Select(m => part.Part(judges[m]))];
            return Bars(part.Name, methods, [.. values.Select(v => v.Value)], [.. values.Select(v => (ConfidenceInterval?)v.Ci95)]);
        });
        return Finish(Combine(bars), "Position bias per judge (95 % intervals)", "judge", methods, yTitle: "accuracy or consistency (%)");
    }

    /// <summary>Side-by-side bars: this run's accuracy beside the paper's, in distribution and on RewardBench (ranges drawn as error bars).</summary>
    public static GenericChart OursVsPaper(IEnumerable<ResultRow> rows)
    {
        List<ResultRow> finite = [.. Finite(rows)];
        string[] sections = [RewardBenchSections.InDistribution, RewardBenchSections.Overall];
        IReadOnlyList<string> methods = SortMethods(finite.Where(r => sections.Contains(r.Section)).Select(r => r.Method)
            .Concat(PaperResults.Numbers.Where(n => n.IsReported && sections.Contains(n.Section)).Select(n => n.Method)));
        var bars = sections.SelectMany(section =>
        {
            var ours = methods.Select(m => finite.FirstOrDefault(r => r.Method == m && r.Section == section)).OfType<ResultRow>().ToList();
            var paper = methods.Select(m => PaperResults.Find(m, section)).Where(n => n is { IsReported: true }).Select(n => n!).ToList();
            // One hue per section: ours solid, the paper's the same hue, light.
            (string solid, string light) = section == RewardBenchSections.InDistribution ? ("#1f77b4", "#aec7e8") : ("#2ca02c", "#98df8a");
            return new[]
            {
                Bars($"ours, {section}", [.. ours.Select(r => r.Method)], [.. ours.Select(r => r.Accuracy)], [.. ours.Select(r => (ConfidenceInterval?)r.Ci95)], solid),
                Bars($"paper, {section}", [.. paper.Select(n => n.Method)], [.. paper.Select(n => n.Value!.Value)],
                    [.. paper.Select(n => (ConfidenceInterval?)new ConfidenceInterval(n.Low!.Value, n.High!.Value))], light),
            };
        });
        return Finish(Combine(bars), "This run beside the paper (paper: UltraFeedback / RewardBench, second-hand)", "method", methods);
    }

    static IEnumerable<ResultRow> Finite(IEnumerable<ResultRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return rows.Where(r => double.IsFinite(r.Accuracy));
    }

    static GenericChart Bars(string name, IReadOnlyList<string> methods, IReadOnlyList<double> accuracies, IReadOnlyList<ConfidenceInterval?> intervals, string? color = null)
    {
        GenericChart bars = color is null
            ? Chart.Column<double, string, string>(accuracies.Select(a => 100 * a), Keys: methods.ToArray(), Name: name)
            : Chart.Column<double, string, string>(accuracies.Select(a => 100 * a), Keys: methods.ToArray(), Name: name, MarkerColor: Color.fromHex(color));
        return WithErrors(bars, accuracies, intervals);
    }

    /// <summary>Asymmetric error bars from the intervals (a missing interval draws none).</summary>
    static GenericChart WithErrors(GenericChart chart, IReadOnlyList<double> values, IReadOnlyList<ConfidenceInterval?> intervals)
    {
        IEnumerable<double> above = values.Zip(intervals, (v, ci) => ci is { } c ? 100 * (c.High - v) : 0);
        IEnumerable<double> below = values.Zip(intervals, (v, ci) => ci is { } c ? 100 * (v - c.Low) : 0);
        return Plotly.NET.Chart.withYErrorStyle<double, double>(
            Visible: FSharpOption<bool>.Some(true), Type: null, Symmetric: FSharpOption<bool>.Some(false),
            Array: FSharpOption<IEnumerable<double>>.Some([.. above]), Arrayminus: FSharpOption<IEnumerable<double>>.Some([.. below]),
            Value: null, Valueminus: null, Traceref: null, Tracerefminus: null, Copy_ystyle: null, Color: null, Thickness: null, Width: null).Invoke(chart);
    }

    static GenericChart Combine(IEnumerable<GenericChart> charts)
    {
        List<GenericChart> all = [.. charts];
        return all.Count == 0 ? Plotly.NET.Chart.Invisible() : Chart.Combine(all);
    }

    static GenericChart Finish(GenericChart chart, string title, string xTitle, IReadOnlyList<string>? categories, string yTitle = AccuracyAxis, bool fullScale = true)
    {
        chart = Plotly.NET.Chart.withTitle(title, null).Invoke(chart).WithSize(Width, Height);
        chart = categories is null
            ? chart.WithXAxisStyle<double, double, string>(TitleText: xTitle)
            : chart.WithXAxisStyle<double, double, string>(TitleText: xTitle, CategoryOrder: StyleParam.CategoryOrder.Array, CategoryArray: categories.ToArray());
        return fullScale
            ? chart.WithYAxisStyle<double, double, string>(TitleText: yTitle, MinMax: Tuple.Create(0.0, 100.0))
            : chart.WithYAxisStyle<double, double, string>(TitleText: yTitle);
    }
}
