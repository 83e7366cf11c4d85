using System.Globalization;
using System.Net;
using GenRM.Evaluation;
using GenRM.IO;

namespace GenRM.Reporting;

/// <summary>
/// Renders a <see cref="StudyReport"/> as one self-contained HTML page (report.html): run info,
/// the paper's claims judged from the numbers, the results beside the paper's, the charts, the
/// STaR statistics, the world description and the notes. plotly.js is embedded once; the page
/// opens with no network.
/// </summary>
public static class ReportWriter
{
    /// <summary>The metrics-log keys drawn as training curves, when some method logged them.</summary>
    static readonly string[] CurveMetrics = ["loss", "rewards/accuracies"];

    const string Style = """
        body { font-family: system-ui, sans-serif; max-width: 1000px; margin: 2em auto; color: #222; line-height: 1.4; }
        table { border-collapse: collapse; margin: 0.5em 0 1em; }
        th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; }
        td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .n, .paper { color: #666; font-size: 0.85em; }
        .status { font-weight: bold; padding: 1px 6px; border-radius: 3px; }
        .reproduced { background: #d7f2d7; } .not-reproduced { background: #f6d3d3; } .inconclusive { background: #eee; }
        .evidence { color: #555; font-size: 0.9em; }
        .chart { margin: 1em 0; }
        .warning { background: #fff3cd; border: 1px solid #e0c060; padding: 0.6em 1em; margin: 1em 0; }
        tr.reference th, tr.reference td { background: #f4f4fb; color: #445; }
        tr.greedy th, tr.greedy td { color: #555; }
        .world table { font-size: 0.9em; }
        pre.settings { background: #f7f7f7; padding: 1em; font-size: 0.85em; }
        """;

    /// <summary>What the report says at the top of a smoke run (and results.json carries).</summary>
    public const string SmokeWarning =
        "This is the smoke preset: a tiny world, base model and training, sized to prove the wiring in about a minute. " +
        "Its accuracies, intervals and verdicts mean nothing about the paper's claims; run the default preset for those.";

    /// <summary>Writes the page to <paramref name="path"/> atomically: a failure midway leaves any old file as it was.</summary>
    /// <remarks>
    /// The page is rendered before the file is opened, so a failure in a section or a chart surfaces as
    /// itself rather than as "cannot write the file" (AtomicWrite reports I/O errors raised while writing as bad input).
    /// </remarks>
    public static void Write(string path, StudyReport report)
    {
        string page = Html(report);
        AtomicWrite.WriteAllText(path, page);
    }

    /// <summary>The page as a string.</summary>
    public static string Html(StudyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Render(writer, report);
        return writer.ToString();
    }

    static void Render(TextWriter html, StudyReport report)
    {
        html.Write($"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>GenRM study report: {E(report.Run.Preset)}</title>\n");
        html.Write($"<style>\n{Style}\n</style>\n<script>\n");
        PlotlyPage.WriteLibrary(html);
        html.Write("\n</script>\n</head>\n<body>\n<h1>Generative Reward Models: study report</h1>\n");
        EvidenceSections.SmokeWarning(html, report);
        EvidenceSections.Citation(html);
        RunInfoSection(html, report);
        EvidenceSections.BaseModelCard(html, report.BaseModelCard);
        FindingsSection(html, Findings.Evaluate(report));
        ResultsSection(html, report);
        EvidenceSections.ResultsBySeed(html, report);
        EvidenceSections.Budgets(html, report);
        EvidenceSections.Diagnostics(html, report);
        ChartsSection(html, report);
        StarSection(html, report.StarIterations);
        EvidenceSections.World(html, report.WorldDescription);
        EvidenceSections.Settings(html, report);
        if (report.Notes.Count > 0)
            html.Write($"<h2>Notes</h2>\n<ul>\n{string.Concat(report.Notes.Select(n => $"<li>{E(n)}</li>\n"))}</ul>\n");
        html.Write("</body>\n</html>\n");
    }

    static void RunInfoSection(TextWriter html, StudyReport report)
    {
        RunInfo run = report.Run;
        html.Write("<h2>Run</h2>\n<table>\n");
        (string, string)[] fields =
        [
            ("preset", run.Preset),
            (report.Seeds.Count > 1 ? "seeds" : "seed", report.Seeds.Count > 1 ? string.Join(", ", report.Seeds) : run.Seed.ToString(CultureInfo.InvariantCulture)),
            ("device", run.Device),
            ("started", run.Started.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)),
            ("duration", run.Seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"),
        ];
        foreach (var (name, value) in fields)
            html.Write($"<tr><th>{name}</th><td>{E(value)}</td></tr>\n");
        EvidenceSections.Versions(html, report);
        html.Write("</table>\n");
    }

    static void FindingsSection(TextWriter html, IReadOnlyList<Finding> findings)
    {
        html.Write($"<h2>The paper's claims in this run</h2>\n<p>{E(Findings.Rules)}</p>\n<ol class=\"findings\">\n");
        foreach (Finding finding in findings)
        {
            string label = StatusLabel(finding.Status);
            html.Write($"<li><span class=\"status {label.Replace(' ', '-')}\">{char.ToUpperInvariant(label[0])}{label[1..]}</span> {E(finding.Claim)}<div class=\"evidence\">{E(finding.Evidence)}</div></li>\n");
        }
        html.Write("</ol>\n");
    }

    /// <summary>"reproduced", "not reproduced" or "inconclusive".</summary>
    public static string StatusLabel(FindingStatus status) => status switch
    {
        FindingStatus.Reproduced => "reproduced",
        FindingStatus.NotReproduced => "not reproduced",
        _ => "inconclusive",
    };

    /// <summary>
    /// A method × section table of every method and section this run measured or the paper reports:
    /// each cell holds our accuracy, its 95 % interval and item count, and the paper's number beneath.
    /// </summary>
    static void ResultsSection(TextWriter html, StudyReport report)
    {
        var ours = report.Results.GroupBy(r => (r.Method, r.Section)).ToDictionary(g => g.Key, g => g.First());
        var paper = PaperResults.Numbers.Where(n => n.IsReported).ToList();
        IReadOnlyList<string> methods = StudyOrder.SortMethods(ours.Keys.Select(k => k.Method).Concat(paper.Select(n => n.Method)));
        IReadOnlyList<string> sections = StudyOrder.SortSections(ours.Keys.Select(k => k.Section).Concat(paper.Select(n => n.Section)));
        html.Write("<h2>Results</h2>\n<p>Accuracy in percent with its 95 % interval and item count; the paper's number beneath, where it gives one.</p>\n");
        html.Write($"<table class=\"results\">\n<tr><th>method</th>{string.Concat(sections.Select(s => $"<th>{E(s)}</th>"))}</tr>\n");
        foreach (string method in methods)
        {
            html.Write($"<tr><th>{E(method)}</th>");
            foreach (string section in sections)
            {
                string measured = ours.TryGetValue((method, section), out var row)
                    ? $"<b>{ReportFormat.Percent(row.Accuracy)}</b> {ReportFormat.Interval(row.Ci95)}<br><span class=\"n\">n = {row.N}</span>"
                    : "<span class=\"n\">not run</span>";
                PaperNumber? number = PaperResults.Find(method, section);
                string reported = number is { IsReported: true } ? $"<br><span class=\"paper\">paper {ReportFormat.Paper(number)}{(number.Note is null ? "" : "*")}</span>" : "";
                html.Write($"<td class=\"number\">{measured}{reported}</td>");
            }
            html.Write("</tr>\n");
            EvidenceSections.GreedyRow(html, report, method, sections);
        }
        EvidenceSections.CeilingRowsOf(html, report, sections);
        html.Write("</table>\n");
        EvidenceSections.IntervalMethods(html);
        html.Write($"<p>The paper's numbers are second-hand (from {E(PaperResults.Citation)}): Llama-3.1-8B-Instruct trained on UltraFeedback; " +
            "in distribution is UltraFeedback's held-out split, RewardBench the mean of its four sections. This run's world and model differ, " +
            "so compare the ordering of methods, not the numbers. About the paper's numbers:</p>\n<ul>\n");
        foreach (PaperNumber number in PaperResults.Numbers.Where(n => n.Note is not null && methods.Contains(n.Method)))
        {
            string value = number.IsReported ? $" ({ReportFormat.Paper(number)}*)" : "";
            html.Write($"<li>{E(number.Method)}, {E(number.Section)}{value}: {E(number.Note!)}</li>\n");
        }
        html.Write("</ul>\n");
        if (report.MethodNotes.Count > 0)
        {
            html.Write("<h3>Notes on methods</h3>\n<ul>\n");
            foreach (string method in StudyOrder.SortMethods(report.MethodNotes.Keys))
                html.Write($"<li><b>{E(method)}</b>: {E(report.MethodNotes[method])}</li>\n");
            html.Write("</ul>\n");
        }
    }

    static void ChartsSection(TextWriter html, StudyReport report)
    {
        var charts = new List<(string Caption, PlotlyFigure Chart)>();
        if (report.Results.Count > 0)
        {
            charts.Add(("Accuracy per method: in distribution, each RewardBench section and their mean.", StudyCharts.Accuracy(report.Results)));
            charts.Add(("This run beside the paper's numbers.", StudyCharts.OursVsPaper(report.Results)));
        }
        if (report.StarIterations.Count > 0)
            charts.Add(("STaR: held-out accuracy after each iteration.", StudyCharts.StarIterations(report.StarIterations)));
        if (report.PositionBias.Count > 0)
            charts.Add(("Position bias: accuracy with the chosen response first, second, over both orders, and consistency.", StudyCharts.PositionBias(report.PositionBias)));
        foreach (string metric in CurveMetrics.Where(m => report.TrainingCurves.Values.Any(rows => rows.Any(r => r.ContainsKey(m)))))
            charts.Add(($"Training curves: {metric} per step.", StudyCharts.TrainingCurves(report.TrainingCurves, metric)));
        if (charts.Count == 0)
            return;
        html.Write("<h2>Charts</h2>\n");
        for (int i = 0; i < charts.Count; i++)
        {
            html.Write($"<h3>{E(charts[i].Caption)}</h3>\n");
            PlotlyPage.WriteChart(html, $"chart-{i + 1}", charts[i].Chart);
        }
    }

    static void StarSection(TextWriter html, IReadOnlyList<StarIterationStats> iterations)
    {
        if (iterations.Count == 0)
            return;
        bool seeds = iterations.Select(i => i.Seed).Distinct().Count() > 1;
        bool checks = iterations.Any(i => i.SampledWithCheck is not null);
        html.Write($"<h2>STaR iterations</h2>\n<table>\n<tr><th>method</th>{(seeds ? "<th>seed</th>" : "")}<th>iteration</th><th>held-out accuracy (%)</th><th>95 % interval</th>" +
            $"<th>rationales kept / sampled</th><th>kept (%)</th>{(checks ? "<th>kept with the correct check (%)</th><th>all with the correct check (%)</th>" : "")}<th>examples built</th></tr>\n");
        foreach (StarIterationStats i in iterations.OrderBy(i => StudyOrder.MethodRank(i.Method)).ThenBy(i => i.Method, StringComparer.Ordinal).ThenBy(i => i.Seed).ThenBy(i => i.Iteration))
        {
            string ci = i.Ci95 is { } c ? ReportFormat.Interval(c) : "";
            string withCheck = !checks ? "" :
                $"<td class=\"number\">{ReportFormat.Share(i.KeptWithCheck, i.Kept)}</td><td class=\"number\">{ReportFormat.Share(i.SampledWithCheck, i.Sampled)}</td>";
            html.Write($"<tr><td>{E(i.Method)}</td>{(seeds ? $"<td class=\"number\">{i.Seed}</td>" : "")}<td class=\"number\">{i.Iteration}</td><td class=\"number\">{ReportFormat.Percent(i.HeldOutAccuracy)}</td>" +
                $"<td class=\"number\">{ci}</td><td class=\"number\">{i.Kept} / {i.Sampled}</td><td class=\"number\">{ReportFormat.Percent(i.KeptFraction)}</td>{withCheck}<td class=\"number\">{i.ExamplesBuilt}</td></tr>\n");
        }
        html.Write($"</table>\n<p>The paper's STaR-DPO, by iteration on UltraFeedback (majority of 32 votes): {string.Join(", ", PaperResults.StarDpoIterations.Select(ReportFormat.Percent))}.</p>\n");
    }

    static string E(string text) => WebUtility.HtmlEncode(text);
}
