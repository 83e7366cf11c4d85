using System.Text.Json.Nodes;
using GenRM.MiniWorld;

namespace GenRM.Tests.Cli;

/// <summary>
/// <c>genrm eval</c> on data as it comes: a folder of files, a named subset, characters a character-level
/// tokenizer does not know, prompts longer than the model's positions. Items the model cannot read are
/// skipped and counted per subset, named by file and item in results.json; nothing crashes.
/// </summary>
public sealed class EvalDataTests
{
    static string SmokeModel => MiniWorldBaseModel.Folder(TestPaths.RepositoryRoot, "smoke");

    static IEnumerable<JsonObject> WorldPairs(int count) =>
        MiniWorldSplits.Generate(MiniWorldConfig.Smoke, 3).SectionPairs(MiniWorldSections.InDistribution).Take(count).Select(p => new JsonObject
        {
            ["prompt"] = p.Prompt[0].Content,
            ["chosen"] = p.Chosen,
            ["rejected"] = p.Rejected,
        });

    static JsonObject Pair(string prompt, string chosen = "4", string rejected = "5") => new() { ["prompt"] = prompt, ["chosen"] = chosen, ["rejected"] = rejected };

    // A smoke MiniWorld model has 512 positions: a 3,000-character question cannot fit any judge's input.
    static readonly string TooLongQuestion = "What is 2+2? " + new string('x', 3000);

    static void WriteLines(string path, IEnumerable<JsonObject> records)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllLines(path, records.Select(r => r.ToJsonString()));
    }

    static JsonNode Eval(TempDirectory temp, params string[] args)
    {
        string output = temp.File("out");
        var (code, stdout, error) = CliContractTests.Run(["eval", "--model", SmokeModel, "--out", output, "--threads", "1", .. args]);
        Assert.True(code == 0, error);
        Assert.Contains("subset", stdout);
        return JsonNode.Parse(File.ReadAllText(Path.Combine(output, "results.json")))!;
    }

    static JsonNode Subset(JsonNode results, string name) =>
        results["subsets"]!.AsArray().Single(s => s!["subset"]!.GetValue<string>() == name)!;

    [Fact]
    public void AFolderIsReadFileByFileAndWhatTheModelCannotReadIsSkippedCountedAndNamed()
    {
        using var temp = new TempDirectory();
        string data = temp.File("data");
        // Line 3 of arithmetic.jsonl holds "½" (outside MiniWorld's ASCII vocabulary), line 4 a question longer than 512 positions;
        // line 5 has an empty chosen response, which RewardBench-faithful evaluation keeps and judges.
        WriteLines(Path.Combine(data, "arithmetic.jsonl"), [.. WorldPairs(2), Pair("What is ½ of 8?"), Pair(TooLongQuestion), Pair("What is 2+2?", chosen: "")]);
        WriteLines(Path.Combine(data, "more", "world.jsonl"), WorldPairs(6).Skip(2));
        File.WriteAllText(Path.Combine(data, "README.md"), "not data: passed over");

        var results = Eval(temp, "--judge", "zero-shot", "--data", data);

        var arithmetic = Subset(results, "arithmetic");
        Assert.Equal(5, arithmetic["read"]!.GetValue<int>());
        Assert.Equal(3, arithmetic["judged"]!.GetValue<int>());
        Assert.Equal(1, arithmetic["skipped"]!["unencodable"]!.GetValue<int>());
        Assert.Equal(1, arithmetic["skipped"]!["too_long"]!.GetValue<int>());
        var unencodable = Assert.Single(arithmetic["first_skipped"]!["unencodable"]!.AsArray())!;
        Assert.Equal($"{Path.Combine(data, "arithmetic.jsonl")}: line 3", unencodable["item"]!.GetValue<string>());
        Assert.Contains("U+00BD", unencodable["why"]!.GetValue<string>());
        var tooLong = Assert.Single(arithmetic["first_skipped"]!["too_long"]!.AsArray())!;
        Assert.EndsWith("arithmetic.jsonl: line 4", tooLong["item"]!.GetValue<string>());
        Assert.Contains("512 positions", tooLong["why"]!.GetValue<string>());

        var world = Subset(results, "more/world");
        Assert.Equal(4, world["judged"]!.GetValue<int>());
        Assert.Equal(0, world["skipped"]!["unencodable"]!.GetValue<int>() + world["skipped"]!["too_long"]!.GetValue<int>());

        var all = Subset(results, "all");
        Assert.Equal(7, all["judged"]!.GetValue<int>());
        Assert.Equal(9, all["read"]!.GetValue<int>());
        Assert.Contains("skipped and counted, never truncated", results["skip_policy"]!.GetValue<string>());
        // The section rows score the judged pairs only.
        Assert.Equal(7, results["rows"]!.AsArray().Sum(r => r!["n"]!.GetValue<int>()));
    }

    [Fact]
    public void ANamedSubsetOfAFolderIsTheOnlyOneJudged()
    {
        using var temp = new TempDirectory();
        string data = temp.File("data");
        WriteLines(Path.Combine(data, "a.jsonl"), WorldPairs(3));
        WriteLines(Path.Combine(data, "b.jsonl"), WorldPairs(5).Skip(3));

        var results = Eval(temp, "--judge", "zero-shot", "--data", data, "--subset", "b");

        Assert.Equal(["b", "all"], results["subsets"]!.AsArray().Select(s => s!["subset"]!.GetValue<string>()));
        Assert.Equal(2, Subset(results, "b")["judged"]!.GetValue<int>());

        var (code, _, error) = CliContractTests.Run("eval", "--judge", "zero-shot", "--model", SmokeModel, "--data", data, "--subset", "c");
        Assert.Equal(1, code);
        Assert.Contains("no pairs of subset 'c'; its subsets are a, b", error);
    }

    [Fact]
    public void AChainOfThoughtJudgeSkipsAPromptThatFitsOnlyWithoutItsNewTokens()
    {
        using var temp = new TempDirectory();
        string data = temp.File("pairs.jsonl");
        // About 450 tokens as a direct judge prompt, about 590 as a chain-of-thought prompt with its
        // 128 new tokens: the direct judge reads it, the chain-of-thought judge must skip it, not crash.
        WriteLines(data, [.. WorldPairs(2), Pair("What is 2+2? " + new string('x', 350))]);

        var direct = Eval(temp, "--judge", "zero-shot", "--data", data);
        Assert.Equal(3, Subset(direct, "all")["judged"]!.GetValue<int>());

        var chain = Eval(temp, "--judge", "zero-shot-cot", "--votes", "1", "--data", data);
        var all = Subset(chain, "all");
        Assert.Equal(2, all["judged"]!.GetValue<int>());
        var skipped = Assert.Single(all["first_skipped"]!["too_long"]!.AsArray())!;
        Assert.EndsWith("pairs.jsonl: line 3", skipped["item"]!.GetValue<string>());
        Assert.Contains("128 new tokens", skipped["why"]!.GetValue<string>());
    }

    [SkippableFact]
    public void LlmBarsFolderIsJudgedPerRewardBenchSubsetWithEveryNonAsciiItemCountedUnencodable()
    {
        string llmbar = Path.Combine(TestPaths.RequireSharedDatasets(), "llmbar");
        using var temp = new TempDirectory();

        var results = Eval(temp, "--judge", "zero-shot", "--data", llmbar, "--subset", "llmbar-adver-manual,llmbar-adver-GPTOut");

        foreach (var (subset, folder) in new[] { ("llmbar-adver-manual", "Manual"), ("llmbar-adver-GPTOut", "GPTOut") })
        {
            var items = JsonNode.Parse(File.ReadAllText(Path.Combine(llmbar, "Adversarial", folder, "dataset.json")))!.AsArray();
            // Counted here independently: an item is unencodable when any of its texts leaves newline and printable ASCII.
            int nonAscii = items.Count(i => new[] { "input", "output_1", "output_2" }.Any(f => i![f]!.GetValue<string>().Any(c => c != '\n' && c is < ' ' or > '~')));
            var entry = Subset(results, subset);
            Assert.Equal(items.Count, entry["read"]!.GetValue<int>());
            Assert.Equal(nonAscii, entry["skipped"]!["unencodable"]!.GetValue<int>());
            Assert.True(nonAscii > 0, $"{subset} was expected to hold non-ASCII text");
            Assert.Equal(items.Count, entry["judged"]!.GetValue<int>() + nonAscii + entry["skipped"]!["too_long"]!.GetValue<int>());
        }
        Assert.Equal(["Chat Hard"], results["rows"]!.AsArray().Select(r => r!["section"]!.GetValue<string>()));
    }
}
