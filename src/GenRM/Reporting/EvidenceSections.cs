using System.Globalization;
using System.Net;
using GenRM.Evaluation;
using GenRM.MiniWorld;
using Markdig;

namespace GenRM.Reporting;

/// <summary>
/// The parts of report.html that let a reader check the numbers: the smoke warning, the paper's
/// citation, the base-model card, ceilings beside the results, per-seed rows, budget cards, judge
/// diagnostics, the settings and versions, and the world's description rendered from markdown.
/// </summary>
internal static class EvidenceSections
{
    /// <summary>Raw HTML in a description is shown as text, never run.</summary>
    static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseEmphasisExtras().DisableHtml().Build();

    /// <summary>The ceilings as reference rows of the results table: label, what it is, the value it takes from a section's ceilings.</summary>
    static readonly (string Label, string About, Func<SectionCeilings, double> Value)[] CeilingRows =
    [
        ("style oracle", "picks the polished answer", c => c.StyleOracle),
        ("anti-style", "picks the plain answer", c => c.AntiStyle),
        ("longer answer", "picks the longer answer", c => c.LongerAnswer),
        ("correctness oracle", "picks the right answer", c => c.CorrectnessOracle),
        ("Bayes-optimal", "the best any judge can do knowing correctness, polish and the annotators", c => c.BayesOptimal),
    ];

    public static void SmokeWarning(TextWriter html, StudyReport report)
    {
        if (report.IsSmoke)
            html.Write($"<div class=\"warning\"><b>Smoke run.</b> {E(ReportWriter.SmokeWarning)}</div>\n");
    }

    public static void Citation(TextWriter html) =>
        html.Write($"<p class=\"cite\">Reproducing <a href=\"{PaperResults.Url}\">{E(PaperResults.Citation)}</a>.</p>\n");

    public static void Versions(TextWriter html, StudyReport report)
    {
        foreach (var version in report.Versions)
            html.Write($"<tr><th>{E(version.Name)}</th><td>{E(version.Version)}</td></tr>\n");
        if (report.Machine.Length > 0)
            html.Write($"<tr><th>CPU</th><td>{E(report.Machine)}</td></tr>\n");
    }

    public static void BaseModelCard(TextWriter html, BaseModelCard? card)
    {
        if (card is null) return;
        html.Write($"<h2>Base model card</h2>\n<p>{E(card.Model)}, {card.Parameters.ToString("N0", CultureInfo.InvariantCulture)} parameters: " +
            $"{(card.PassesGates ? "passes every gate" : "<b>fails a gate</b>")}. What it can do before any method trains it.</p>\n");
        html.Write("<table class=\"card\">\n<tr><th>measure</th><th>value</th><th>n</th><th>gate</th><th>passes</th></tr>\n");
        foreach (var measure in card.Measures)
        {
            string gate = (measure.Min, measure.Max) switch
            {
                (null, null) => "none",
                (double min, null) => $"≥ {Number(min)}",
                (null, double max) => $"≤ {Number(max)}",
                (double min, double max) => $"{Number(min)} to {Number(max)}",
            };
            string passes = measure.Passes switch { true => "pass", false => "<b>fail</b>", null => "" };
            html.Write($"<tr><td>{E(measure.Name)}</td><td class=\"number\">{Number(measure.Value)}</td><td class=\"number\">{measure.Count}</td>" +
                $"<td>{E(gate)}</td><td>{passes}</td></tr>\n");
        }
        html.Write("</table>\n");
    }

    /// <summary>The ceilings' rows of the results table, one per reference judge, marked as references.</summary>
    public static void CeilingRowsOf(TextWriter html, StudyReport report, IReadOnlyList<string> sections)
    {
        if (report.Ceilings.Count == 0) return;
        var bySection = report.Ceilings.GroupBy(c => c.Section, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        html.Write($"<tr class=\"reference\"><th colspan=\"{sections.Count + 1}\">References computed from the world, not methods: what a shortcut and a checker score</th></tr>\n");
        foreach (var (label, about, value) in CeilingRows)
        {
            html.Write($"<tr class=\"reference\"><th>{E(label)}<br><span class=\"n\">{E(about)}</span></th>");
            foreach (string section in sections)
                html.Write(bySection.TryGetValue(section, out var c) ? $"<td class=\"number\">{ReportFormat.Percent(value(c))}</td>" : "<td></td>");
            html.Write("</tr>\n");
        }
    }

    /// <summary>A method's greedy-readout row, below its majority vote.</summary>
    public static void GreedyRow(TextWriter html, StudyReport report, string method, IReadOnlyList<string> sections)
    {
        var rows = report.GreedyResults.Where(r => r.Method == method).ToDictionary(r => r.Section, StringComparer.Ordinal);
        if (rows.Count == 0) return;
        html.Write($"<tr class=\"greedy\"><th>{E(method)}<br><span class=\"n\">greedy: one rationale at temperature 0</span></th>");
        foreach (string section in sections)
            html.Write(rows.TryGetValue(section, out var row)
                ? $"<td class=\"number\">{ReportFormat.Percent(row.Accuracy)} {ReportFormat.Interval(row.Ci95)}<br><span class=\"n\">n = {row.N}</span></td>"
                : "<td></td>");
        html.Write("</tr>\n");
    }

    public static void IntervalMethods(TextWriter html) =>
        html.Write($"<p class=\"intervals\"><b>Intervals.</b> {E(Findings.IntervalMethods)}</p>\n");

    public static void ResultsBySeed(TextWriter html, StudyReport report)
    {
        if (report.ResultsBySeed.Count < 2) return;
        var seeds = report.ResultsBySeed.Keys.Order().ToList();
        var all = report.ResultsBySeed.Values.SelectMany(r => r).ToList();
        IReadOnlyList<string> methods = StudyOrder.SortMethods(all.Select(r => r.Method));
        IReadOnlyList<string> sections = StudyOrder.SortSections(all.Select(r => r.Section));
        html.Write("<h2>Results by seed</h2>\n<p>Each seed's world, training and evaluation on its own (accuracy in percent); the results above pool them.</p>\n");
        html.Write($"<table class=\"by-seed\">\n<tr><th>method</th><th>seed</th>{string.Concat(sections.Select(s => $"<th>{E(s)}</th>"))}</tr>\n");
        foreach (string method in methods)
        {
            foreach (int seed in seeds)
            {
                var rows = report.ResultsBySeed[seed].Where(r => r.Method == method).ToDictionary(r => r.Section, StringComparer.Ordinal);
                html.Write($"<tr><th>{E(method)}</th><td class=\"number\">{seed}</td>");
                foreach (string section in sections)
                    html.Write(rows.TryGetValue(section, out var row) ? $"<td class=\"number\">{ReportFormat.WithInterval(row.Accuracy, row.Ci95)}</td>" : "<td></td>");
                html.Write("</tr>\n");
            }
        }
        html.Write("</table>\n");
    }

    public static void Budgets(TextWriter html, StudyReport report)
    {
        if (report.Budgets.Count == 0) return;
        html.Write("<h2>Budget cards</h2>\n<p>What training each method cost; methods compare fairly only at similar budgets. " +
            "Examples count every epoch; tokens are the real (unpadded) tokens read, a DPO pair's prompt once for both of its replies; STaR's seconds of sampling include judging its held-out slice.</p>\n");
        html.Write("<table class=\"budgets\">\n<tr><th>method</th><th>optimizer steps</th><th>training examples</th><th>tokens</th><th>training (s)</th><th>STaR sampling (s)</th></tr>\n");
        foreach (var card in report.Budgets.OrderBy(b => StudyOrder.MethodRank(b.Method)).ThenBy(b => b.Method, StringComparer.Ordinal))
            html.Write($"<tr><td>{E(card.Method)}</td><td class=\"number\">{card.OptimizerSteps}</td><td class=\"number\">{Count(card.Examples)}</td>" +
                $"<td class=\"number\">{Count(card.Tokens)}</td><td class=\"number\">{Seconds(card.TrainingSeconds)}</td><td class=\"number\">{Seconds(card.SamplingSeconds)}</td></tr>\n");
        html.Write("</table>\n");
    }

    public static void Diagnostics(TextWriter html, StudyReport report)
    {
        var diagnostics = report.Diagnostics;
        if (diagnostics.Count == 0) return;
        html.Write("<h2>How the judges decide (in distribution)</h2>\n<p><b>Polish preference</b>: on pairs with the polish cue on exactly one answer, " +
            "the share where the judge prefers the polished one (a judge that only checks sums sits near the share of those pairs whose polished answer is right). " +
            "<b>Style-tied accuracy</b>: accuracy where both answers or neither are polished, so only correctness can explain the labels. " +
            "<b>Against the truth</b>: accuracy when the right answer, not the label, counts (labels are wrong on some pairs). " +
            "<b>v and c</b>: a judge that settles a share v of pairs by checking and otherwise picks the polished answer with probability c; " +
            "v from the truth accuracy on style-tied pairs (v + (1 − v)/2), c from how often it picks a polished wrong answer ((1 − v)·c); " +
            "a style follower has v = 0 and c = 1, a checker v = 1; bootstrap intervals. " +
            "<b>Checking share</b>: the share of a chain-of-thought judge's sampled rationales that contain the world's correct check.</p>\n");
        html.Write("<table class=\"diagnostics\">\n<tr><th>method</th><th>polish preference (%)</th><th>style-tied accuracy (%)</th><th>checking share (%)</th>" +
            "<th>against the truth (%)</th><th>v: checks (%)</th><th>c: follows polish otherwise (%)</th></tr>\n");
        foreach (var d in diagnostics)
            html.Write($"<tr><td>{E(d.Method)}</td><td class=\"number\">{Share(d.PolishPreference)}</td><td class=\"number\">{Share(d.StyleTiedAccuracy)}</td>" +
                $"<td class=\"number\">{(d.CheckingShare is { } c ? Share(c) : "")}</td><td class=\"number\">{(d.TruthAccuracy is { } t ? Share(t) : "")}</td>" +
                $"<td class=\"number\">{(d.CheckOrFollow is { } f ? Estimate(f.Verification) : "")}</td><td class=\"number\">{(d.CheckOrFollow is { } g ? Estimate(g.CueFollowing) : "")}</td></tr>\n");
        html.Write("</table>\n");
        CheckingBySection(html, diagnostics);
    }

    // Where a chain-of-thought judge checks: a section it scores well on without checking is won by something else.
    static void CheckingBySection(TextWriter html, IReadOnlyList<JudgeDiagnostics> diagnostics)
    {
        var judges = diagnostics.Where(d => d.CheckingBySection.Count > 0).ToList();
        if (!judges.Any(d => d.CheckingBySection.Any(s => s.Section != RewardBenchSections.InDistribution))) return;
        var sections = judges.SelectMany(d => d.CheckingBySection.Select(s => s.Section)).Distinct(StringComparer.Ordinal).OrderBy(StudyOrder.SectionRank).ToList();
        html.Write("<p><b>Checking share by section</b>: the same share in every section. Safety's check is the request's reason " +
            "(\"check: stealing is forbidden, so refuse.\"); the other sections' is the sum.</p>\n");
        html.Write($"<table class=\"checking\">\n<tr><th>method</th>{string.Concat(sections.Select(s => $"<th>{E(s)} (%)</th>"))}</tr>\n");
        foreach (var d in judges)
        {
            var shares = d.CheckingBySection.ToDictionary(s => s.Section, s => s.Share, StringComparer.Ordinal);
            html.Write($"<tr><td>{E(d.Method)}</td>{string.Concat(sections.Select(s => $"<td class=\"number\">{(shares.TryGetValue(s, out var p) ? Share(p) : "")}</td>"))}</tr>\n");
        }
        html.Write("</table>\n");
    }

    public static void World(TextWriter html, string description)
    {
        if (string.IsNullOrWhiteSpace(description)) return;
        html.Write($"<h2>The world</h2>\n<div class=\"world\">\n{Markdown.ToHtml(description, Pipeline)}</div>\n");
    }

    public static void Settings(TextWriter html, StudyReport report)
    {
        if (string.IsNullOrWhiteSpace(report.Settings)) return;
        html.Write($"<h2>Settings</h2>\n<p>Every setting of the run (its spec; also in results.json).</p>\n<pre class=\"settings\">{E(report.Settings)}</pre>\n");
    }

    static string Share(Proportion p) => p.N == 0 ? "<span class=\"n\">no such pairs</span>" : WithCount(p.Value, p.Ci95, p.N);

    static string Estimate(BootstrapEstimate e) => double.IsFinite(e.Value) ? WithCount(e.Value, e.Ci95, e.N) : "<span class=\"n\">undefined</span>";

    static string WithCount(double value, ConfidenceInterval ci, int n) => $"{ReportFormat.WithInterval(value, ci)}<br><span class=\"n\">n = {n}</span>";

    static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    static string Seconds(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    static string E(string text) => WebUtility.HtmlEncode(text);
}
