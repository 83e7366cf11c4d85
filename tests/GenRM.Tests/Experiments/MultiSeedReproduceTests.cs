using System.Text.Json.Nodes;
using GenRM.Experiments;
using GenRM.Reporting;
using GenRM.Tests.Cli;

namespace GenRM.Tests.Experiments;

[Trait("Category", "Slow")]
public sealed class MultiSeedReproduceTests : IDisposable
{
    readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    static JsonNode Json(string path) => JsonNode.Parse(File.ReadAllText(path))!;

    static double Accuracy(JsonNode json, string method, string section) =>
        json["rows"]!.AsArray().Single(r => r!["method"]!.GetValue<string>() == method && r["section"]!.GetValue<string>() == section)!["accuracy"]!.GetValue<double>();

    [Fact]
    public void TwoSmokeSeedsRunInTheirOwnFoldersAndPoolIntoPairedVerdicts()
    {
        string folder = dir.File("two-seeds");
        // Two methods (a trained scorer and the STaR judge) keep this under two minutes on two cores; all eight took over five in CI.
        int code;
        string printed;
        using (var run = CliProcess.Start("reproduce", "--preset", "smoke", "--seeds", "1,2", "--methods", "bradley-terry,star-dpo", "--out", folder))
            (code, printed) = run.WaitToEnd();
        Assert.True(code == 0, printed);
        // Under the table a smoke run says its numbers mean nothing, as its report does.
        Assert.Contains($"Smoke run: {ReportWriter.SmokeWarning}", printed, StringComparison.Ordinal);

        // Each seed is a whole single-seed run, its items kept in every method's outcome.
        var seeds = new[] { 1, 2 }.ToDictionary(s => s, s => Json(Path.Combine(MultiSeedRunner.SeedFolder(folder, s), "results.json")));
        Assert.All(seeds, s => Assert.Equal(s.Key, s.Value["seed"]!.GetValue<int>()));
        var outcome = MethodOutcome.TryLoad(Path.Combine(MultiSeedRunner.SeedFolder(folder, 2), "methods", "star-dpo"))!;
        Assert.Equal(160, outcome.Items.Count);
        Assert.All(outcome.Items, i => Assert.Equal(2, i.Seed));
        Assert.All(outcome.Items, i => Assert.NotNull(i.GreedyScore));
        Assert.All(outcome.Items.Where(i => i.Section == "in-distribution"), i => Assert.Equal(3, i.Rationales));
        Assert.NotEmpty(outcome.GreedyRows);

        // The pooled results: both seeds' items (equal in number, so the mean of the two accuracies), every setting and version.
        var pooled = Json(Path.Combine(folder, "results.json"));
        Assert.Equal([1, 2], pooled["seeds"]!.AsArray().Select(s => s!.GetValue<int>()));
        Assert.Equal("smoke", pooled["settings"]!["preset"]!.GetValue<string>());
        Assert.Equal(3, pooled["settings"]!["evaluation"]!["votes"]!.GetValue<int>());
        Assert.Equal(["genrm", "TorchSharp", "libtorch", ".NET"], pooled["versions"]!.AsObject().Select(v => v.Key));
        // And the CPU, whose kernels decide the last bits: /proc/cpuinfo's model name and vector features.
        string machine = pooled["machine"]!.GetValue<string>();
        Assert.StartsWith(GenRM.Runtime.CpuInfo.Current.Model + ", ", machine, StringComparison.Ordinal);
        Assert.Equal(machine, seeds[1]["machine"]!.GetValue<string>());
        Assert.Contains("smoke preset", pooled["warning"]!.GetValue<string>(), StringComparison.Ordinal);
        foreach (string method in new[] { "bradley-terry", "star-dpo" })
            Assert.Equal((Accuracy(seeds[1], method, "in-distribution") + Accuracy(seeds[2], method, "in-distribution")) / 2, Accuracy(pooled, method, "in-distribution"), 12);
        var byBeed = pooled["rows_by_seed"]!.AsArray();
        Assert.Equal(seeds[1]["rows"]!.ToJsonString(), byBeed[0]!["rows"]!.ToJsonString());

        // Verdicts are paired tests over both seeds' items.
        var comparisons = pooled["findings"]!.AsArray().SelectMany(f => f!["comparisons"]!.AsArray()).ToList();
        Assert.NotEmpty(comparisons);
        Assert.All(comparisons, c => Assert.Equal(2, c!["seeds"]!.GetValue<int>()));
        Assert.Contains(comparisons, c => c!["section"]!.GetValue<string>() == "in-distribution" && c["items"]!.GetValue<int>() == 64);
        Assert.Equal(2, pooled["budgets"]!.AsArray().Count);
        Assert.Equal(2, pooled["diagnostics"]!.AsArray().Count);
        Assert.Equal(2 * 1 * 3, pooled["star_iterations"]!.AsArray().Count);

        string report = File.ReadAllText(Path.Combine(folder, "report.html"));
        Assert.Contains("<div class=\"warning\">", report, StringComparison.Ordinal);
        Assert.Contains("<tr><th>seeds</th><td>1, 2</td></tr>", report, StringComparison.Ordinal);
        Assert.Contains("<h2>Results by seed</h2>", report, StringComparison.Ordinal);
        Assert.Contains("2 seeds", report, StringComparison.Ordinal);

        // Resumed, nothing is redone and the pooled rows come back the same.
        string before = pooled["rows"]!.ToJsonString();
        using (var resumed = CliProcess.Start("reproduce", "--resume", folder))
            resumed.Succeeds();
        Assert.Equal(before, Json(Path.Combine(folder, "results.json"))["rows"]!.ToJsonString());
    }

    [Fact]
    public void SeedAndSeedsTogetherAreRefused()
    {
        using var run = CliProcess.Start("reproduce", "--preset", "smoke", "--seed", "3", "--seeds", "1,2", "--out", dir.File("refused"));
        var (code, output) = run.WaitToEnd();
        Assert.Equal(1, code);
        Assert.Contains("give --seed or --seeds, not both", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("refused")));
    }

    [Theory]
    [InlineData("1,2,x")]
    [InlineData("1,1")]
    [InlineData(",")]
    public void BadSeedListsAreRefused(string seeds) =>
        Assert.Throws<BadInputException>(() => MultiSeedRunner.ParseSeeds(seeds));
}
