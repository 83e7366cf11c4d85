using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GenRM.Evaluation;
using GenRM.MiniWorld;
using GenRM.Reporting;

namespace GenRM.Tests.Reporting;

/// <summary>The parts of report.html and results.json a reviewer checks the numbers with.</summary>
public sealed partial class ReportEvidenceTests
{
    const string In = RewardBenchSections.InDistribution;

    static StudyReport Evidence(string preset = "default")
    {
        StudyReport sample = SampleStudy.Build();
        // star-dpo's items with MiniWorld's facts: where the cue sits, and how many of 3 rationales do the check.
        var items = sample.Items.ToDictionary(m => m.Key, m => m.Key != StudyOrder.StarDpo ? m.Value
            : [.. m.Value.Select((item, i) => item with { CueOnChosen = i % 2 == 0, CueOnRejected = i % 3 == 0, ChosenIsRight = i % 5 != 0, Rationales = 3, RationalesWithCheck = i % 3 })]);
        return sample with
        {
            Run = SampleStudy.Run with { Preset = preset },
            Ceilings = [new(In, 400, 0.78, 0.22, 0.70, 0.84, 0.86), new(RewardBenchSections.ChatHard, 300, 0.0, 1.0, 0.1, 1.0, 1.0)],
            BaseModelCard = new BaseModelCard("miniworld-default", 5_100_000,
                [new CardMeasure("sums, 3 digits", 0.91, 400, Min: 0.8), new CardMeasure("prefers polish", 0.62, 400, Max: 0.6), new CardMeasure("refusals", 0.5, 100)]),
            Budgets = [new BudgetCard(StudyOrder.BradleyTerry, 240, 3786, 412_345, 61.5, 0), new BudgetCard(StudyOrder.ZeroShot, 0, 0, 0, 0, 0)],
            GreedyResults = [SampleStudy.Row(StudyOrder.StarDpo, In, 0.731, 1000)],
            Settings = "{\n  \"preset\": \"default\",\n  \"seed\": 1\n}",
            Versions = [new("genrm", "0.1.0+abc"), new("TorchSharp", "0.107.0"), new("libtorch", "2.10.0"), new(".NET", ".NET 10.0.0 (linux-x64)")],
            Items = items,
        };
    }

    /// <summary>The rows of the table with <paramref name="css"/> class, each as its cells' text (tags stripped).</summary>
    static List<string[]> Table(string html, string css)
    {
        int start = html.IndexOf($"<table class=\"{css}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no table of class {css}");
        string table = html[start..html.IndexOf("</table>", start, StringComparison.Ordinal)];
        return [.. RowPattern().Matches(table).Select(row => CellPattern().Matches(row.Groups[1].Value)
            .Select(cell => System.Net.WebUtility.HtmlDecode(TagPattern().Replace(cell.Groups[1].Value.Replace("<br>", " ", StringComparison.Ordinal), "")).Trim()).ToArray())];
    }

    [GeneratedRegex(@"<tr[^>]*>(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();

    [GeneratedRegex(@"<t[hd][^>]*>(.*?)</t[hd]>", RegexOptions.Singleline)]
    private static partial Regex CellPattern();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();

    [Fact]
    public void ASmokeReportWarnsAtTheTopThatItsVerdictsMeanNothing()
    {
        string smoke = ReportWriter.Html(Evidence("smoke"));
        int warning = smoke.IndexOf("<div class=\"warning\">", StringComparison.Ordinal);
        Assert.InRange(warning, 0, smoke.IndexOf("<h2>", StringComparison.Ordinal));
        Assert.Contains("verdicts mean nothing", smoke, StringComparison.Ordinal);
        Assert.DoesNotContain("<div class=\"warning\">", ReportWriter.Html(Evidence()), StringComparison.Ordinal);
        Assert.Equal(ReportWriter.SmokeWarning, JsonNode.Parse(ResultsJson.Of(Evidence("smoke")))!["warning"]!.GetValue<string>());
    }

    [Fact]
    public void ThePaperIsCitedAndNoFileOutsideTheRepositoryIs()
    {
        string html = ReportWriter.Html(Evidence());
        Assert.Contains("<a href=\"https://arxiv.org/abs/2410.12832\">Mahan et al., &quot;Generative Reward Models&quot;, arXiv:2410.12832, 2024</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("PAPER.md", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCeilingsSitBesideTheMethodsAsReferenceRows()
    {
        var rows = Table(ReportWriter.Html(Evidence()), "results");
        string[] header = rows[0];
        var style = rows.Single(r => r[0].StartsWith("style oracle", StringComparison.Ordinal));
        var bayes = rows.Single(r => r[0].StartsWith("Bayes-optimal", StringComparison.Ordinal));
        int inDist = Array.IndexOf(header, In), chatHard = Array.IndexOf(header, RewardBenchSections.ChatHard), chat = Array.IndexOf(header, RewardBenchSections.Chat);
        Assert.Equal(("78.0", "0.0", ""), (style[inDist], style[chatHard], style[chat]));
        Assert.Equal(("86.0", "100.0"), (bayes[inDist], bayes[chatHard]));
        Assert.Single(rows, r => r[0].StartsWith("correctness oracle", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Length == 1 && r[0].StartsWith("References computed from the world", StringComparison.Ordinal));
    }

    [Fact]
    public void AChainOfThoughtJudgesGreedyReadoutIsItsOwnRowBelowTheVote()
    {
        var rows = Table(ReportWriter.Html(Evidence()), "results");
        int vote = rows.FindIndex(r => r[0] == StudyOrder.StarDpo);
        Assert.StartsWith("star-dpo greedy: one rationale at temperature 0", rows[vote + 1][0], StringComparison.Ordinal);
        Assert.StartsWith("73.1 [", rows[vote + 1][Array.IndexOf(rows[0], In)], StringComparison.Ordinal);
    }

    [Fact]
    public void TheBaseModelCardShowsValueCountGateAndVerdict()
    {
        string html = ReportWriter.Html(Evidence());
        Assert.Contains("miniworld-default, 5,100,000 parameters: <b>fails a gate</b>", html, StringComparison.Ordinal);
        var rows = Table(html, "card");
        Assert.Equal(["measure", "value", "n", "gate", "passes"], rows[0]);
        Assert.Equal(["sums, 3 digits", "0.91", "400", "≥ 0.8", "pass"], rows[1]);
        Assert.Equal(["prefers polish", "0.62", "400", "≤ 0.6", "fail"], rows[2]);
        Assert.Equal(["refusals", "0.5", "100", "none", ""], rows[3]);
    }

    [Fact]
    public void BudgetCardsDiagnosticsVersionsSettingsAndIntervalMethodsAreOnThePage()
    {
        StudyReport report = Evidence();
        string html = ReportWriter.Html(report);
        var budgets = Table(html, "budgets");
        Assert.Equal(["zero-shot", "0", "0", "0", "0.0", "0.0"], budgets[1]);
        Assert.Equal(["bradley-terry", "240", "3,786", "412,345", "61.5", "0.0"], budgets[2]);
        var diagnostics = report.Diagnostics.Single();
        var row = Table(html, "diagnostics")[1];
        Assert.Equal("star-dpo", row[0]);
        Assert.StartsWith($"{ReportFormat.WithInterval(diagnostics.PolishPreference.Value, diagnostics.PolishPreference.Ci95)} n = {diagnostics.PolishPreference.N}", row[1], StringComparison.Ordinal);
        Assert.StartsWith(ReportFormat.Percent(diagnostics.CheckingShare!.Value), row[3], StringComparison.Ordinal);
        Assert.StartsWith($"{ReportFormat.WithInterval(diagnostics.TruthAccuracy!.Value, diagnostics.TruthAccuracy.Ci95)} n = {diagnostics.TruthAccuracy.N}", row[4], StringComparison.Ordinal);
        var fit = diagnostics.CheckOrFollow!;
        Assert.Equal($"{ReportFormat.WithInterval(fit.Verification.Value, fit.Verification.Ci95)} n = {fit.Verification.N}", row[5]);
        Assert.Equal($"{ReportFormat.WithInterval(fit.CueFollowing.Value, fit.CueFollowing.Ci95)} n = {fit.CueFollowing.N}", row[6]);
        var checking = Table(html, "checking");
        Assert.Equal(["method", .. diagnostics.CheckingBySection.Select(s => $"{s.Section} (%)")], checking[0]);
        Assert.Equal("in-distribution (%)", checking[0][1]);
        Assert.True(checking[0].Length > 2, "the sample's chain-of-thought judge has rationales outside in-distribution");
        Assert.Equal(["star-dpo", .. diagnostics.CheckingBySection.Select(s => $"{ReportFormat.WithInterval(s.Share.Value, s.Share.Ci95)} n = {s.Share.N}")], checking[1]);
        Assert.Contains("<tr><th>libtorch</th><td>2.10.0</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<pre class=\"settings\">{\n  &quot;preset&quot;: &quot;default&quot;,", html, StringComparison.Ordinal);
        Assert.Contains("Wilson score interval", html, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(Findings.Rules), html, StringComparison.Ordinal);
    }

    [Fact]
    public void TheWorldIsRenderedFromMarkdown()
    {
        string html = ReportWriter.Html(Evidence() with { WorldDescription = "# MiniWorld\n\n**Cue.** polite\n\n| a | b |\n|---|---|\n| 1 | 2 |\n" });
        string world = html[html.IndexOf("<div class=\"world\">", StringComparison.Ordinal)..];
        Assert.Contains("<h1>MiniWorld</h1>", world, StringComparison.Ordinal);
        Assert.Contains("<strong>Cue.</strong>", world, StringComparison.Ordinal);
        Assert.Contains("<td>1</td>", world, StringComparison.Ordinal);
    }

    [Fact]
    public void ResultsJsonCarriesSettingsVersionsIntervalsAndEvidence()
    {
        var json = JsonNode.Parse(ResultsJson.Of(Evidence()))!;
        Assert.Equal("default", json["settings"]!["preset"]!.GetValue<string>());
        Assert.Equal("2.10.0", json["versions"]!["libtorch"]!.GetValue<string>());
        Assert.Equal(Findings.IntervalMethods, json["interval_method"]!.GetValue<string>());
        Assert.Equal(0.03, json["equivalence_margin"]!.GetValue<double>());
        Assert.Equal(240, json["budgets"]![0]!["optimizer_steps"]!.GetValue<int>());
        Assert.Equal(0.78, json["ceilings"]![0]!["style_oracle"]!.GetValue<double>());
        Assert.False(json["base_model_card"]!["measures"]![1]!["passes"]!.GetValue<bool>());
        Assert.Equal(StudyOrder.StarDpo, json["greedy_rows"]![0]!["method"]!.GetValue<string>());
        var comparison = json["findings"]![0]!["comparisons"]![0]!;
        Assert.Equal("bradley-terry", comparison["a"]!.GetValue<string>());
        Assert.Equal(1000, comparison["items"]!.GetValue<int>());
        Assert.Equal(2, comparison["ci95"]!.AsObject().Count);
        Assert.Equal("star-dpo", json["diagnostics"]![0]!["method"]!.GetValue<string>());
    }
}
