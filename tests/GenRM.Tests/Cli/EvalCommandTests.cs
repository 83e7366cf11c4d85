using System.Text.Json.Nodes;
using GenRM.MiniWorld;

namespace GenRM.Tests.Cli;

public sealed class EvalCommandTests
{
    static string SmokeModel => MiniWorldBaseModel.Folder(TestPaths.RepositoryRoot, "smoke");

    [Fact]
    public void EvalScoresAJudgeOnAFileAndWritesResultsJson()
    {
        using var temp = new TempDirectory();
        string data = WritePairs(temp, worldSeed: 3, count: 12, subset: "toy-subset");

        var (code, output, error) = CliContractTests.Run("eval", "--judge", "zero-shot", "--model", SmokeModel, "--data", data, "--out", temp.File("out"), "--threads", "1",
            "--device", "auto", "--dtype", "auto");

        Assert.True(code == 0, error);
        Assert.Contains("zero-shot", output);
        var results = JsonNode.Parse(File.ReadAllText(Path.Combine(temp.File("out"), "results.json")))!;
        // auto resolves to the device that actually ran, and results.json says which.
        Assert.Equal(GenRM.Runtime.TorchRuntime.CudaAvailable ? "cuda" : "cpu", results["device"]!.GetValue<string>());
        var rows = results["rows"]!.AsArray();
        var row = Assert.Single(rows);
        Assert.Equal("toy-subset", row!["section"]!.GetValue<string>());
        Assert.Equal(12, row["n"]!.GetValue<int>());
    }

    [Fact]
    public void JudgingInBf16OnACpuWhoseBf16ProductsAreSlowSaysSoAndNamesTheFp32Option()
    {
        using var temp = new TempDirectory();
        string data = WritePairs(temp, worldSeed: 3, count: 8);
        string Warnings(string dtype)
        {
            var (code, _, error) = CliContractTests.Run("eval", "--judge", "zero-shot", "--model", SmokeModel, "--data", data, "--threads", "1", "--device", "cpu", "--dtype", dtype);
            Assert.True(code == 0, error);
            return string.Join('\n', error.Split('\n').Where(l => l.StartsWith("warning:", StringComparison.Ordinal)));
        }

        // Measured here as the command measures it: about 150x on an AVX2-only CPU, under 2x with bf16 instructions.
        bool slow = GenRM.Runtime.CpuBf16.SlowdownOverFp32 > GenRM.Runtime.CpuBf16.WarnAbove;
        string bf16 = Warnings("bfloat16");
        Assert.Equal(slow, bf16.Contains("slower than fp32", StringComparison.Ordinal));
        if (slow) Assert.Contains("--dtype float32", bf16, StringComparison.Ordinal);
        Assert.Equal("", Warnings("float32"));
    }

    [Theory]
    [InlineData("zero-shot-cot", "32/96 64/96 96/96")]
    [InlineData("zero-shot", "16/32 32/32")]
    public void AJudgeShowsItsProgressAsItGoes(string judge, string expected)
    {
        using var temp = new TempDirectory();
        string data = WritePairs(temp, worldSeed: 3, count: 32);

        var (code, _, error) = CliContractTests.Run("eval", "--judge", judge, "--model", SmokeModel, "--data", data, "--votes", "3", "--threads", "1");

        Assert.True(code == 0, error);
        // Batches of 32 rows: 96 rationales (3 votes), or 32 direct prompts read with both verdicts (16 a batch);
        // a line as each batch passes another tenth, the last at the total.
        string[] lines = [.. error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.Contains($" {judge} judging ", StringComparison.Ordinal))];
        Assert.Equal(expected.Split(' '), lines.Select(l => l.Split(' ')[3]));
        Assert.All(lines, l => Assert.DoesNotContain("loss", l, StringComparison.Ordinal));
        Assert.Contains("k tok/s", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void AChainOfThoughtEvaluationKilledPartWayContinuesToTheResultsOfOneNeverStopped()
    {
        using var temp = new TempDirectory();
        string data = WritePairs(temp, worldSeed: 4, count: 32);
        string[] Eval(string folder) => ["eval", "--judge", "zero-shot-cot", "--model", SmokeModel, "--data", data, "--votes", "5", "--threads", "1", "--out", folder];
        string straight = temp.File("straight"), killed = temp.File("killed");
        using (var run = CliProcess.Start(Eval(straight))) run.Succeeds();

        // 160 rationales in 5 batches: killed once two are kept.
        string journal = Path.Combine(killed, "sampled", "call-0000.jsonl");
        using (var run = CliProcess.Start(Eval(killed)))
            Assert.StartsWith("killed", run.KillWhen(() => File.Exists(journal) && File.ReadLines(journal).Count() >= 3, "two batches were kept"), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(killed, "results.json")));
        string resumedOutput;
        using (var run = CliProcess.Start(Eval(killed)))
        {
            var (code, output) = run.WaitToEnd();
            Assert.True(code == 0, output);
            resumedOutput = output;
        }

        Assert.Contains("Continuing the rationales sampled before", resumedOutput, StringComparison.Ordinal);
        Assert.Equal(Rows(straight), Rows(killed));
        Assert.False(Directory.Exists(Path.Combine(killed, "sampled")));
        static string Rows(string folder) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "results.json")))!["rows"]!.ToJsonString();
    }

    [Fact]
    public void AnUnknownJudgeIsBadUsage()
    {
        var (code, _, error) = CliContractTests.Run("eval", "--judge", "oracle", "--model", SmokeModel, "--data", "x.jsonl");
        Assert.Equal(2, code);
        Assert.Contains("unknown judge 'oracle'", error);
    }

    [Fact]
    public void TheFilesPresetStopsAtOnceNamingWhatIsMissing()
    {
        using var temp = new TempDirectory();
        var (code, _, error) = CliContractTests.Run("reproduce", "--preset", "paper", "--device", "cpu", "--out", temp.Path, "--model", temp.File("no-model"));
        Assert.Equal(1, code);
        Assert.Contains("base_model", error);
        Assert.Contains("no-model", error);
        Assert.Contains("train (not given)", error);
        Assert.DoesNotContain("   at ", error);
    }

    /// <summary>The first <paramref name="count"/> in-distribution pairs of a smoke world as a JSON-lines file in <paramref name="temp"/>.</summary>
    static string WritePairs(TempDirectory temp, int worldSeed, int count, string? subset = null)
    {
        var world = MiniWorldSplits.Generate(MiniWorldConfig.Smoke, worldSeed);
        string data = temp.File("pairs.jsonl");
        File.WriteAllLines(data, world.SectionPairs(MiniWorldSections.InDistribution).Take(count).Select(p =>
        {
            var line = new JsonObject { ["id"] = p.Id, ["prompt"] = p.Prompt[0].Content, ["chosen"] = p.Chosen, ["rejected"] = p.Rejected };
            if (subset is not null) line["subset"] = subset;
            return line.ToJsonString();
        }));
        return data;
    }
}
