using System.Text.Json.Nodes;
using GenRM.Experiments;
using GenRM.Evaluation;
using GenRM.Reporting;

namespace GenRM.Tests.Experiments;

/// <summary>The smoke study end to end, shared by the tests below (it takes most of a minute).</summary>
public sealed class SmokeStudyFixture : IDisposable
{
    readonly TempDirectory folder = new();

    public string Folder => folder.Path;

    public StudyResult Result { get; }

    public SmokeStudyFixture() => Result = new StudyRunner(Presets.Smoke, Folder).Run();

    public void Dispose() => folder.Dispose();
}

[Trait("Category", "Slow")]
public sealed class ReproduceTests(SmokeStudyFixture smoke) : IClassFixture<SmokeStudyFixture>
{
    [Fact]
    public void ResultsJsonHasEveryMethodAndSectionWithIntervalsAndSizes()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(smoke.Folder, "results.json")))!;
        Assert.Equal("smoke", json["preset"]!.GetValue<string>());
        var rows = json["rows"]!.AsArray().Select(r => (
            Method: r!["method"]!.GetValue<string>(),
            Section: r["section"]!.GetValue<string>(),
            Accuracy: r["accuracy"]!.GetValue<double>(),
            N: r["n"]!.GetValue<int>(),
            Low: r["ci95"]![0]!.GetValue<double>(),
            High: r["ci95"]![1]!.GetValue<double>())).ToArray();
        var world = GenRM.MiniWorld.MiniWorldSplits.Generate(GenRM.MiniWorld.MiniWorldModel.Preset("smoke").World, Presets.Smoke.Seed);
        foreach (string method in StudyOrder.Methods)
        {
            foreach (string section in StudyOrder.Sections)
            {
                var row = Assert.Single(rows, r => r.Method == method && r.Section == section);
                Assert.InRange(row.Accuracy, 0, 1);
                Assert.True(row.Low <= row.Accuracy && row.Accuracy <= row.High, $"{method}/{section}: {row.Accuracy} outside [{row.Low}, {row.High}]");
                int expected = section == RewardBenchSections.Overall
                    ? GenRM.MiniWorld.MiniWorldSections.OutOfDistribution.Sum(s => world.Section(s).Length)
                    : world.Section(section).Length;
                Assert.Equal(expected, row.N);
            }
        }
        Assert.True(File.Exists(Path.Combine(smoke.Folder, "results.csv")));
        Assert.True(File.Exists(Path.Combine(smoke.Folder, "run.log")));
        string report = File.ReadAllText(Path.Combine(smoke.Folder, "report.html"));
        Assert.Contains("star-dpo", report);
        Assert.DoesNotContain("src=\"http", report);
    }

    [Fact]
    public void TimingsJsonAccountsForTheRunByMethodAndPhase()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(smoke.Folder, StudyTimings.FileName)))!;
        var methods = json["methods"]!.AsObject();
        Assert.Equal(StudyOrder.Methods.Order(StringComparer.Ordinal), methods.Select(m => m.Key).Order(StringComparer.Ordinal));
        double accounted = json["base_model"]!.GetValue<double>();
        foreach (var (method, node) in methods)
        {
            double Phase(string name) => node![name]!.GetValue<double>();
            bool star = method.StartsWith("star-", StringComparison.Ordinal);
            Assert.Equal(Phase("total"), Phase("training") + Phase("star_sampling") + Phase("held_out") + Phase("evaluation"), 0.25);
            Assert.True(Phase("evaluation") > 0, method);
            Assert.Equal(star, Phase("star_sampling") > 0);
            Assert.Equal(star, Phase("held_out") > 0);
            accounted += Phase("total");
        }
        // Only writing the results and reports is left out; methods run side by side each count their own time.
        double seconds = json["seconds"]!.GetValue<double>();
        Assert.InRange(accounted, 0.8 * seconds, Presets.Smoke.Workers * seconds + 0.5);
        Assert.Equal(Math.Round(smoke.Result.Timings.Phases.Sampling, 1), json["phases"]!["star_sampling"]!.GetValue<double>(), 0.11);
    }

    [SkippableFact]
    public void TheReportOpensInABrowserWithEveryChartDrawnAndTheWorldAsFormattedText()
    {
        RenderedPage page = HeadlessChromium.RenderWithEveryFigureDrawn(Path.Combine(smoke.Folder, "report.html"), "chart-");

        // The world's description is markdown in results.json; on the page it is headings, lists and tables.
        string text = page.VisibleText;
        Assert.Contains("The world", text, StringComparison.Ordinal);
        foreach (string markup in new[] { "**", "|---", "\n# ", "\n## " })
            Assert.DoesNotContain(markup, text, StringComparison.Ordinal);
    }

    [Fact]
    public void AReportThatCannotBeWrittenLosesNeitherTheResultsNorTheFiles()
    {
        using var folder = new TempDirectory();
        foreach (string file in Directory.EnumerateFiles(smoke.Folder, "*", SearchOption.AllDirectories))
        {
            string copy = Path.Combine(folder.Path, Path.GetRelativePath(smoke.Folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        File.Delete(Path.Combine(folder.Path, "results.json"));
        File.Delete(Path.Combine(folder.Path, "report.html"));
        Directory.CreateDirectory(Path.Combine(folder.Path, "report.html")); // a folder where the page should go

        // Every method is already finished in the copy: this only writes the results again.
        var result = new StudyRunner(GenRM.Experiments.ExperimentSpec.Load(Path.Combine(folder.Path, StudyRunner.SpecFile)), folder.Path).Run();

        Assert.Equal(smoke.Result.Rows.Count, result.Report.Results.Count);
        Assert.True(File.Exists(Path.Combine(folder.Path, "results.json")));
        string log = File.ReadAllText(Path.Combine(folder.Path, "run.log"));
        Assert.Contains("report.html was NOT written", log, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot write the file", log, StringComparison.Ordinal);
    }

    [Fact]
    public void AStoppedRunResumesToTheSameResults()
    {
        using var folder = new TempDirectory();
        var first = new StudyRunner(Presets.Smoke, folder.Path).Run(stopAfterMethods: 1);
        Assert.Single(first.Outcomes);
        var resumed = new StudyRunner(GenRM.Experiments.ExperimentSpec.Load(Path.Combine(folder.Path, StudyRunner.SpecFile)), folder.Path).Run();
        static string Rows(StudyResult r) => string.Join("\n", r.Rows.Select(x => $"{x.Method}|{x.Section}|{x.Accuracy:R}|{x.N}|{x.Ci95.Low:R}|{x.Ci95.High:R}"));
        Assert.Equal(Rows(smoke.Result), Rows(resumed));
        Assert.Contains("already finished in this folder", File.ReadAllText(Path.Combine(folder.Path, "run.log")));
        // The kept method's phases come back from its outcome.json.
        var kept = first.Outcomes[0];
        Assert.Equal(kept.Phases, resumed.Timings.Methods[kept.Method]);
        Assert.Equal(StudyOrder.Methods.Length, resumed.Timings.Methods.Count);
    }
}
