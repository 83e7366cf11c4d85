using GenRM.Evaluation;
using GenRM.Reporting;
using Microsoft.Data.Analysis;

namespace GenRM.Experiments;

/// <summary>A study's results as tables for notebooks (a <see cref="DataFrame"/> displays as an HTML table).</summary>
public static class StudyTables
{
    /// <summary>Methods down, sections across; each cell "34.2 [30.0, 38.4]" (accuracy % and 95 % interval), "-" where not run.</summary>
    public static DataFrame Results(IReadOnlyCollection<ResultRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        IReadOnlyList<string> methods = StudyOrder.SortMethods(rows.Select(r => r.Method));
        IReadOnlyList<string> sections = StudyOrder.SortSections(rows.Select(r => r.Section));
        var columns = new List<DataFrameColumn> { new StringDataFrameColumn("method", methods) };
        foreach (string section in sections)
            columns.Add(new StringDataFrameColumn(section, methods.Select(m => rows.FirstOrDefault(r => r.Method == m && r.Section == section) is { } row
                ? ReportFormat.WithInterval(row.Accuracy, row.Ci95) : "-")));
        return new DataFrame(columns);
    }

    /// <summary>
    /// In distribution and on RewardBench, one row per method this run or the paper has: this run's
    /// accuracy (%) and interval, the paper's number (a range where only that is known), and the
    /// paper's note about it.
    /// </summary>
    public static DataFrame BesidePaper(IReadOnlyCollection<ResultRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        string[] sections = [RewardBenchSections.InDistribution, RewardBenchSections.Overall];
        IReadOnlyList<string> methods = StudyOrder.SortMethods(rows.Select(r => r.Method).Concat(PaperResults.Numbers.Select(n => n.Method)));
        var lines = methods.SelectMany(m => sections.Select(s => (Method: m, Section: s,
            Ours: rows.FirstOrDefault(r => r.Method == m && r.Section == s), Paper: PaperResults.Find(m, s)))).ToList();
        return new DataFrame(
            new StringDataFrameColumn("method", lines.Select(l => l.Method)),
            new StringDataFrameColumn("section", lines.Select(l => l.Section)),
            new StringDataFrameColumn("this run", lines.Select(l => l.Ours is { } r ? ReportFormat.WithInterval(r.Accuracy, r.Ci95) : "not run")),
            new StringDataFrameColumn("paper", lines.Select(l => ReportFormat.Paper(l.Paper))),
            new StringDataFrameColumn("about the paper's number", lines.Select(l => l.Paper?.Note ?? "")));
    }

    /// <summary>The paper's claims as judged from <paramref name="report"/>: status, claim and evidence.</summary>
    public static DataFrame Findings(StudyReport report)
    {
        IReadOnlyList<Finding> findings = Reporting.Findings.Evaluate(report);
        return new DataFrame(
            new StringDataFrameColumn("status", findings.Select(f => ReportWriter.StatusLabel(f.Status))),
            new StringDataFrameColumn("claim", findings.Select(f => f.Claim)),
            new StringDataFrameColumn("evidence", findings.Select(f => f.Evidence)));
    }

    /// <summary>
    /// The STaR iterations: method, iteration, held-out accuracy (%) with interval, rationales kept,
    /// the shares with the world's correct check (MiniWorld; empty elsewhere), examples built.
    /// </summary>
    public static DataFrame StarIterations(IEnumerable<StarIterationStats> iterations)
    {
        ArgumentNullException.ThrowIfNull(iterations);
        var ordered = iterations.OrderBy(i => StudyOrder.MethodRank(i.Method)).ThenBy(i => i.Method, StringComparer.Ordinal).ThenBy(i => i.Iteration).ToList();
        return new DataFrame(
            new StringDataFrameColumn("method", ordered.Select(i => i.Method)),
            new Int32DataFrameColumn("iteration", ordered.Select(i => i.Iteration)),
            new StringDataFrameColumn("held-out accuracy", ordered.Select(i => i.Ci95 is { } ci ? ReportFormat.WithInterval(i.HeldOutAccuracy, ci) : ReportFormat.Percent(i.HeldOutAccuracy))),
            new StringDataFrameColumn("rationales kept (%)", ordered.Select(i => ReportFormat.Percent(i.KeptFraction))),
            new StringDataFrameColumn("kept / sampled", ordered.Select(i => $"{i.Kept} / {i.Sampled}")),
            new StringDataFrameColumn("kept with the correct check (%)", ordered.Select(i => ReportFormat.Share(i.KeptWithCheck, i.Kept))),
            new StringDataFrameColumn("all with the correct check (%)", ordered.Select(i => ReportFormat.Share(i.SampledWithCheck, i.Sampled))),
            new Int32DataFrameColumn("examples built", ordered.Select(i => i.ExamplesBuilt)));
    }
}
