using System.Collections;
using System.Text.RegularExpressions;
using GenRM.Evaluation;
using GenRM.Reporting;

namespace GenRM.Tests.Reporting;

public sealed class ReportWriterTests : IDisposable
{
    readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    static int Count(string text, string part) => Regex.Count(text, Regex.Escape(part));

    [Fact]
    public void PlotlyIsEmbeddedExactlyOnceAndNothingLoadsFromTheNetwork()
    {
        string html = ReportWriter.Html(SampleStudy.Build());
        Assert.Equal(1, Count(html, $"plotly.js v{PlotlyPage.LibraryVersion}"));
        Assert.True(html.Length > 3_000_000, "the full plotly.js should be inside the page");
        Assert.DoesNotMatch(new Regex(@"<script[^>]*\bsrc\s*=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"<link[^>]*\bhref\s*=\s*""https?:", RegexOptions.IgnoreCase), html);
    }

    [Fact]
    public void EveryChartIsOneDivWithOneNewPlotCall()
    {
        string html = ReportWriter.Html(SampleStudy.Build());
        // Accuracy, ours vs the paper, STaR iterations, position bias, loss, rewards/accuracies.
        for (int i = 1; i <= 6; i++)
        {
            Assert.Equal(1, Count(html, $"<div id=\"chart-{i}\" class=\"chart\"></div>"));
            Assert.Equal(1, Count(html, $"Plotly.newPlot(\"chart-{i}\""));
        }
        Assert.Equal(6, Count(html, "class=\"chart\""));
    }

    [Fact]
    public void ChartsWithoutDataAreLeftOut()
    {
        string html = ReportWriter.Html(new StudyReport(SampleStudy.Run, [SampleStudy.Row(StudyOrder.GenRm, RewardBenchSections.InDistribution, 0.7)]));
        Assert.Equal(2, Count(html, "class=\"chart\""));
    }

    [Fact]
    public void TheResultsTableHasEveryMethodAndSectionBesideThePapersNumber()
    {
        StudyReport report = SampleStudy.Build();
        string html = ReportWriter.Html(report);
        string table = html[html.IndexOf("<table class=\"results\">", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
        Assert.StartsWith("<table class=\"results\">\n<tr><th>method</th>" + string.Concat(StudyOrder.Sections.Select(s => $"<th>{s}</th>")) + "</tr>", table, StringComparison.Ordinal);
        string[] lines = table.Split('\n');
        foreach (string method in StudyOrder.Methods)
        {
            string line = Assert.Single(lines, l => l.StartsWith($"<tr><th>{method}</th>", StringComparison.Ordinal));
            var cells = line.Split("<td", StringSplitOptions.None).Skip(1).ToList();
            Assert.Equal(StudyOrder.Sections.Length, cells.Count);
            for (int i = 0; i < cells.Count; i++)
            {
                ResultRow row = report.Results.Single(r => r.Method == method && r.Section == StudyOrder.Sections[i]);
                Assert.Contains($"<b>{ReportFormat.Percent(row.Accuracy)}</b> {ReportFormat.Interval(row.Ci95)}<br><span class=\"n\">n = {row.N}</span>", cells[i], StringComparison.Ordinal);
                PaperNumber? paper = PaperResults.Find(method, StudyOrder.Sections[i]);
                Assert.Equal(paper is { IsReported: true }, cells[i].Contains("paper ", StringComparison.Ordinal));
            }
        }
        Assert.Contains("paper 91.0</span>", table, StringComparison.Ordinal);
        Assert.Contains("paper 73.0-74.0*</span>", table, StringComparison.Ordinal);
        Assert.Contains("<li>bradley-terry, in-distribution (73.0-74.0*): approximate", html, StringComparison.Ordinal);
    }

    [Fact]
    public void MethodsTheRunLacksShowAsNotRunBesideThePapersNumber()
    {
        string html = ReportWriter.Html(new StudyReport(SampleStudy.Run, [SampleStudy.Row(StudyOrder.GenRm, RewardBenchSections.InDistribution, 0.7)]));
        Assert.Contains("<tr><th>star-dpo</th>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"n\">not run</span><br><span class=\"paper\">paper 81.9</span>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFindingsRunInfoWorldAndNotesAreOnThePage()
    {
        StudyReport report = SampleStudy.Build();
        string html = ReportWriter.Html(report);
        Assert.All(Findings.Evaluate(report), f => Assert.Contains(System.Net.WebUtility.HtmlEncode(f.Evidence), html, StringComparison.Ordinal));
        Assert.Contains("2026-11-26 12:00:00 +00:00", html, StringComparison.Ordinal);
        Assert.Contains("Chat Hard: the length cue reversed", html, StringComparison.Ordinal);
        Assert.Contains("<li>Sample report made from invented numbers.</li>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>star-dpo</td><td class=\"number\">3</td><td class=\"number\">76.0</td>", html, StringComparison.Ordinal);
        Assert.Contains("(majority of 32 votes): 71.3, 73.0, 73.6.", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TextFromTheDataIsEscapedEverywhere()
    {
        const string attack = "</script><script>alert(1)</script>";
        StudyReport report = SampleStudy.Build() with { Results = [SampleStudy.Row("evil" + attack, RewardBenchSections.InDistribution, 0.6)] };
        report = report with
        {
            MethodNotes = new Dictionary<string, string> { [StudyOrder.GenRm] = attack },
            WorldDescription = attack,
            Notes = [attack],
        };
        string html = ReportWriter.Html(report);
        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        // One script element for plotly.js and one per chart, each closed once.
        Assert.Equal(Count(html, "<script>"), Count(html, "</script>"));
    }

    [Fact]
    public void TheSameReportGivesTheSamePage() =>
        Assert.Equal(ReportWriter.Html(SampleStudy.Build()), ReportWriter.Html(SampleStudy.Build()));

    [Fact]
    public void WriteSavesThePage()
    {
        string path = dir.File("report.html");
        ReportWriter.Write(path, SampleStudy.Build());
        Assert.Equal(ReportWriter.Html(SampleStudy.Build()), File.ReadAllText(path));
    }

    [Fact]
    public void AFailureMidwayKeepsTheOldReportAndLeavesNoTemporaryFile()
    {
        string path = dir.File("report.html");
        File.WriteAllText(path, "old report");
        StudyReport broken = SampleStudy.Build() with { TrainingCurves = new ThrowingCurves() };
        Assert.Throws<InvalidOperationException>(() => ReportWriter.Write(path, broken));
        Assert.Equal("old report", File.ReadAllText(path));
        Assert.Equal([path], Directory.EnumerateFiles(dir.Path));
    }

    /// <summary>Training curves that fail when read: the page is half written by then.</summary>
    sealed class ThrowingCurves : IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, double>>>
    {
        static InvalidOperationException Failure() => new("metrics log unreadable");
        public IReadOnlyList<IReadOnlyDictionary<string, double>> this[string key] => throw Failure();
        public IEnumerable<string> Keys => throw Failure();
        public IEnumerable<IReadOnlyList<IReadOnlyDictionary<string, double>>> Values => throw Failure();
        public int Count => throw Failure();
        public bool ContainsKey(string key) => throw Failure();
        public bool TryGetValue(string key, out IReadOnlyList<IReadOnlyDictionary<string, double>> value) => throw Failure();
        public IEnumerator<KeyValuePair<string, IReadOnlyList<IReadOnlyDictionary<string, double>>>> GetEnumerator() => throw Failure();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
