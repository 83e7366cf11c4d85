using System.Globalization;
using GenRM.Evaluation;
using static GenRM.Reporting.StudyOrder;

namespace GenRM.Reporting;

/// <summary>
/// The study's figures as <see cref="PlotlyFigure"/>s, for the HTML report and for notebooks (which
/// display a figure inline). Accuracies are drawn in percent with their 95 % intervals as error bars.
/// </summary>
public static class StudyCharts
{
    const string AccuracyAxis = "accuracy (%)";

    /// <summary>Grouped bars: per method, its accuracy on every section (in distribution, each OOD section, the RewardBench mean).</summary>
    public static PlotlyFigure Accuracy(IEnumerable<ResultRow> rows)
    {
        List<ResultRow> finite = [.. Finite(rows)];
        IReadOnlyList<string> methods = SortMethods(finite.Select(r => r.Method));
        var bars = SortSections(finite.Select(r => r.Section)).Select((section, i) =>
        {
            var points = methods.Select(m => finite.FirstOrDefault(r => r.Method == m && r.Section == section)).OfType<ResultRow>().ToList();
            return Bars(section, [.. points.Select(p => p.Method)], [.. points.Select(p => p.Accuracy)], [.. points.Select(p => (ConfidenceInterval?)p.Ci95)], PlotlyFigure.ColorAt(i));
        });
        return Figure("Accuracy by method and section (95 % intervals)", "method", methods, bars);
    }

    /// <summary>Lines per STaR method: held-out accuracy after each iteration, with 95 % intervals where measured.</summary>
    public static PlotlyFigure StarIterations(IEnumerable<StarIterationStats> iterations)
    {
        ArgumentNullException.ThrowIfNull(iterations);
        var measured = iterations.Where(i => double.IsFinite(i.HeldOutAccuracy)).ToList();
        var byMethod = measured.ToLookup(i => i.Method, StringComparer.Ordinal);
        // Iterations as categories: whole-number ticks only, in numeric order.
        string[] steps = [.. measured.Select(i => i.Iteration).Distinct().Order().Select(Label)];
        var lines = SortMethods(byMethod.Select(g => g.Key)).Select((method, i) =>
        {
            var points = byMethod[method].OrderBy(p => p.Iteration).ToList();
            return Line(method, [.. points.Select(p => Label(p.Iteration))], [.. points.Select(p => p.HeldOutAccuracy)], [.. points.Select(p => p.Ci95)], PlotlyFigure.ColorAt(i));
        });
        // Autoscaled: a few points between iterations vanish on a 0-100 axis.
        return Figure("STaR: held-out accuracy per iteration (95 % intervals)", "iteration", steps, lines, fullScale: false);
    }

    /// <summary>Lines per method: <paramref name="metric"/> (a metrics-log key such as loss or rewards/accuracies) against the step.</summary>
    public static PlotlyFigure TrainingCurves(IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, double>>> curves, string metric = "loss")
    {
        ArgumentNullException.ThrowIfNull(curves);
        var lines = SortMethods(curves.Keys)
            .Select(method => (method, points: curves[method].Where(r => r.ContainsKey("step") && r.TryGetValue(metric, out double v) && double.IsFinite(v)).ToList()))
            .Where(c => c.points.Count > 0)
            .Select((c, i) => new FigureTrace
            {
                Kind = TraceKind.Lines,
                Name = c.method,
                Numbers = [.. c.points.Select(p => p["step"])],
                Values = [.. c.points.Select(p => p[metric])],
                Color = PlotlyFigure.ColorAt(i),
            });
        return new PlotlyFigure { Title = $"Training: {metric} per step", XTitle = "step", YTitle = metric, Traces = [.. lines] };
    }

    /// <summary>Lines of one method's <paramref name="metric"/> against the step (a single training run).</summary>
    public static PlotlyFigure TrainingCurves(string method, IReadOnlyList<IReadOnlyDictionary<string, double>> rows, string metric = "loss") =>
        TrainingCurves(new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, double>>>(StringComparer.Ordinal) { [method] = rows }, metric);

    /// <summary>Lines per method and section: majority-vote accuracy against the number of sampled verdicts, with 95 % intervals.</summary>
    public static PlotlyFigure MajorityVotes(IEnumerable<MajorityVoteStats> votes)
    {
        ArgumentNullException.ThrowIfNull(votes);
        var measured = votes.Where(v => double.IsFinite(v.Accuracy)).ToList();
        string[] counts = [.. measured.Select(v => v.Votes).Distinct().Order().Select(Label)];
        var lines = measured.GroupBy(v => (v.Method, v.Section))
            .OrderBy(g => MethodRank(g.Key.Method)).ThenBy(g => g.Key.Method, StringComparer.Ordinal)
            .ThenBy(g => SectionRank(g.Key.Section)).ThenBy(g => g.Key.Section, StringComparer.Ordinal)
            .Select((g, i) =>
            {
                var points = g.OrderBy(v => v.Votes).ToList();
                return Line($"{g.Key.Method}, {g.Key.Section}", [.. points.Select(p => Label(p.Votes))], [.. points.Select(p => p.Accuracy)],
                    [.. points.Select(p => (ConfidenceInterval?)p.Ci95)], PlotlyFigure.ColorAt(i));
            });
        return Figure("Majority vote: accuracy by number of sampled verdicts (95 % intervals)", "votes per item", counts, lines, fullScale: false);
    }

    /// <summary>
    /// Grouped bars per judge: accuracy with the chosen response shown first, shown second, over both
    /// orders, and the fraction of items judged the same in both orders (consistency).
    /// </summary>
    public static PlotlyFigure PositionBias(IReadOnlyDictionary<string, PositionBiasReport> judges)
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
        var bars = parts.Select((part, i) =>
        {
            List<Proportion> values = [.. methods.Select(m => part.Part(judges[m]))];
            return Bars(part.Name, methods, [.. values.Select(v => v.Value)], [.. values.Select(v => (ConfidenceInterval?)v.Ci95)], PlotlyFigure.ColorAt(i));
        });
        return Figure("Position bias per judge (95 % intervals)", "judge", methods, bars, yTitle: "accuracy or consistency (%)");
    }

    /// <summary>Side-by-side bars: this run's accuracy beside the paper's, in distribution and on RewardBench (ranges drawn as error bars).</summary>
    public static PlotlyFigure OursVsPaper(IEnumerable<ResultRow> rows)
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
        return Figure("This run beside the paper (paper: UltraFeedback / RewardBench, second-hand)", "method", methods, bars);
    }

    static string Label(int number) => number.ToString(CultureInfo.InvariantCulture);

    static IEnumerable<ResultRow> Finite(IEnumerable<ResultRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return rows.Where(r => double.IsFinite(r.Accuracy));
    }

    /// <summary>Bars of fractions drawn in percent, with error bars reaching the intervals (a missing interval draws none).</summary>
    static FigureTrace Bars(string name, IReadOnlyList<string> methods, IReadOnlyList<double> fractions, IReadOnlyList<ConfidenceInterval?> intervals, string color) =>
        Percent(TraceKind.Bars, name, methods, fractions, intervals, color);

    /// <inheritdoc cref="Bars"/>
    static FigureTrace Line(string name, IReadOnlyList<string> steps, IReadOnlyList<double> fractions, IReadOnlyList<ConfidenceInterval?> intervals, string color) =>
        Percent(TraceKind.Lines, name, steps, fractions, intervals, color) with { Markers = true };

    static FigureTrace Percent(TraceKind kind, string name, IReadOnlyList<string> categories, IReadOnlyList<double> fractions, IReadOnlyList<ConfidenceInterval?> intervals, string color) => new()
    {
        Kind = kind,
        Name = name,
        Categories = categories,
        Values = [.. fractions.Select(f => 100 * f)],
        ErrorAbove = [.. fractions.Zip(intervals, (v, ci) => ci is { } c ? 100 * (c.High - v) : 0)],
        ErrorBelow = [.. fractions.Zip(intervals, (v, ci) => ci is { } c ? 100 * (v - c.Low) : 0)],
        Color = color,
    };

    static PlotlyFigure Figure(string title, string xTitle, IReadOnlyList<string> categories, IEnumerable<FigureTrace> traces, string yTitle = AccuracyAxis, bool fullScale = true) => new()
    {
        Title = title,
        XTitle = xTitle,
        YTitle = yTitle,
        Traces = [.. traces],
        CategoryOrder = categories,
        YRange = fullScale ? (0, 100) : null,
    };
}
