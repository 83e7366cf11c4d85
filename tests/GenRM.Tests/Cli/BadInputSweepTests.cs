using System.CommandLine;
using System.Text.Json.Nodes;
using GenRM.Cli;
using GenRM.MiniWorld;

namespace GenRM.Tests.Cli;

/// <summary>
/// Every command of the catalog, run as a process on bad input of the kinds real use brings (a
/// missing file, a folder where a file belongs and a file where a folder does, malformed JSON,
/// characters a character-level model cannot read, items longer than its positions, bad option
/// values): each ends with exit code 1 or 2 and one line naming the file (and item), never a stack trace.
/// </summary>
public sealed class BadInputSweepTests
{
    /// <summary>The bad inputs, in one scratch folder.</summary>
    sealed class Inputs : IDisposable
    {
        readonly TempDirectory temp = new();

        public Inputs()
        {
            Directory.CreateDirectory(EmptyFolder);
            File.WriteAllText(PlainFile, "not a model, not a folder");
            File.WriteAllText(MalformedJson, "{ \"preset\": ");
            File.WriteAllText(MalformedLines, "{\"prompt\": \"q\", \"chosen\": \"a\"\n");
            File.WriteAllText(NonAscii, new JsonArray(new JsonObject { ["input"] = "Café: ½ of 8?", ["output_1"] = "4 €", ["output_2"] = "5", ["label"] = 1 }).ToJsonString());
            File.WriteAllText(TooLong, new JsonObject { ["prompt"] = "What is 2+2? " + new string('x', 3000), ["chosen"] = "4", ["rejected"] = "5" }.ToJsonString() + "\n");
            Directory.CreateDirectory(MalformedJsonFolder);
            File.WriteAllText(Path.Combine(MalformedJsonFolder, "adapter_config.json"), "{ \"r\": ");
            File.WriteAllText(EmptyResponses, new JsonObject { ["prompt"] = "What is 2+2?", ["chosen"] = "", ["rejected"] = "" }.ToJsonString() + "\n");
        }

        public string EmptyFolder => temp.File("empty-folder");
        public string PlainFile => temp.File("plain.txt");
        public string Missing => temp.File("missing.jsonl");
        public string MalformedJson => temp.File("malformed.json");
        public string MalformedLines => temp.File("malformed.jsonl");
        public string NonAscii => temp.File("non-ascii.json");
        public string TooLong => temp.File("too-long.jsonl");
        public string EmptyResponses => temp.File("empty-responses.jsonl");
        public string Out => temp.File("out");
        public string MalformedJsonFolder => temp.File("malformed-adapter");

        public void Dispose() => temp.Dispose();
    }

    static string Model => MiniWorldBaseModel.Folder(TestPaths.RepositoryRoot, "smoke");

    static string[] Eval(string judge, string data, params string[] more) => ["eval", "--judge", judge, "--model", Model, "--data", data, "--threads", "1", .. more];

    /// <summary>Each case: the arguments, and what its one error line must name (the file, the item or the option).</summary>
    static readonly Dictionary<string, (Func<Inputs, string[]> Args, Func<Inputs, string> Names)> Cases = new()
    {
        ["reproduce: preset file missing"] = (f => ["reproduce", "--preset", f.Missing + ".json", "--out", f.Out], f => f.Missing + ".json"),
        ["reproduce: preset malformed"] = (f => ["reproduce", "--preset", f.MalformedJson, "--out", f.Out], f => f.MalformedJson),
        ["reproduce: preset is a folder"] = (f => ["reproduce", "--preset", f.EmptyFolder, "--out", f.Out], f => f.EmptyFolder),
        ["reproduce: resume a file"] = (f => ["reproduce", "--resume", f.PlainFile], f => f.PlainFile),
        ["reproduce: negative threads"] = (f => ["reproduce", "--preset", "smoke", "--threads", "-1", "--out", f.Out], _ => "--threads"),
        ["eval: data missing"] = (f => Eval("zero-shot", f.Missing), f => f.Missing),
        ["eval: data folder without data files"] = (f => Eval("zero-shot", f.EmptyFolder), f => f.EmptyFolder),
        ["eval: data malformed"] = (f => Eval("zero-shot", f.MalformedLines), f => f.MalformedLines + ": line 1"),
        ["eval: only non-ASCII items"] = (f => Eval("zero-shot", f.NonAscii), f => f.NonAscii + ": item 1"),
        ["eval: only over-long items, direct judge"] = (f => Eval("zero-shot", f.TooLong), f => f.TooLong + ": line 1"),
        ["eval: only over-long items, chain-of-thought judge"] = (f => Eval("zero-shot-cot", f.TooLong, "--votes", "1"), f => f.TooLong + ": line 1"),
        ["eval: model is a file"] = (f => ["eval", "--judge", "zero-shot", "--model", f.PlainFile, "--data", f.EmptyResponses], f => f.PlainFile),
        ["eval: model folder is empty"] = (f => ["eval", "--judge", "bradley-terry", "--model", f.EmptyFolder, "--data", f.EmptyResponses], f => f.EmptyFolder),
        ["eval: no votes"] = (f => Eval("zero-shot-cot", f.EmptyResponses, "--votes", "0"), _ => "--votes"),
        ["info: negative threads"] = (_ => ["info", "--threads", "-1"], _ => "--threads"),
        ["data inspect: a folder"] = (f => ["data", "inspect", f.EmptyFolder], f => f.EmptyFolder),
        ["data inspect: missing"] = (f => ["data", "inspect", f.Missing], f => f.Missing),
        ["data inspect: malformed"] = (f => ["data", "inspect", f.MalformedJson], f => f.MalformedJson),
        ["pretrain: measure a folder without a model"] = (f => ["pretrain", "--preset", "smoke", "--measure-only", "--out", f.EmptyFolder], f => f.EmptyFolder),
        ["pretrain: measure a file"] = (f => ["pretrain", "--preset", "smoke", "--measure-only", "--out", f.PlainFile], f => f.PlainFile),
        ["sweep: preset missing"] = (f => ["sweep", "--preset", f.Missing + ".json", "--out", f.Out], f => f.Missing + ".json"),
        ["sweep: preset malformed"] = (f => ["sweep", "--preset", f.MalformedJson, "--out", f.Out], f => f.MalformedJson),
        ["notebooks: unknown scale"] = (_ => ["notebooks", "run", "--scale", "huge"], _ => "huge"),
        ["serve: model missing"] = (f => ["serve", "--model", f.Missing, "--port", "0"], f => f.Missing),
        ["serve: model is a file"] = (f => ["serve", "--model", f.PlainFile, "--port", "0"], f => f.PlainFile),
        ["serve: model folder is empty"] = (f => ["serve", "--model", f.EmptyFolder, "--port", "0"], f => f.EmptyFolder),
        ["download: hub unreachable"] = (f => ["download", "owner/name", "--endpoint", "http://127.0.0.1:9", "--to", f.Out], _ => "http://127.0.0.1:9"),
        ["plan: model missing"] = (f => ["plan", "--model", f.Missing, "--memory", "8GiB"], f => f.Missing),
        ["plan: malformed memory"] = (_ => ["plan", "--preset", "smoke", "--memory", "80 gigs"], _ => "--memory"),
        ["lora merge: model missing"] = (f => ["lora", "merge", "--model", f.Missing, "--adapter", f.EmptyFolder, "--out", f.Out], f => f.Missing),
        ["lora merge: adapter folder is empty"] = (f => ["lora", "merge", "--model", TestPaths.Fixtures("hf-reference", "llama"), "--adapter", f.EmptyFolder, "--out", f.Out],
            f => Path.Combine(f.EmptyFolder, "adapter_config.json")),
        ["lora merge: adapter config malformed"] = (f => ["lora", "merge", "--model", TestPaths.Fixtures("hf-reference", "llama"), "--adapter", f.MalformedJsonFolder, "--out", f.Out],
            f => Path.Combine(f.MalformedJsonFolder, "adapter_config.json")),
        ["bench: unknown model size"] = (_ => ["bench", "--model-size", "huge"], _ => "huge"),
        ["bench: negative threads"] = (_ => ["bench", "--threads", "-2"], _ => "--threads"),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void BadInputEndsInOneLineNamingWhatIsWrong(string name)
    {
        using var inputs = new Inputs();
        var (args, names) = Cases[name];
        using var process = CliProcess.Start(args(inputs));

        var (code, output) = process.WaitToEnd(TimeSpan.FromMinutes(2));

        Assert.True(code is 1 or 2, $"exit code {code}, expected 1 (bad input) or 2 (usage):\n{output}");
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain("Unhandled exception", output);
        Assert.DoesNotContain("internal error", output);
        string error = Assert.Single(output.Split('\n'), line => line.StartsWith("genrm: ", StringComparison.Ordinal));
        Assert.Contains(names(inputs), error);
    }

    [Fact]
    public void EveryCommandOfTheCatalogIsSwept()
    {
        var swept = Cases.Keys.Select(k => k.Split(':', ' ')[0]).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(CommandCatalog.All().Select(c => c.Name).Order(StringComparer.Ordinal), swept.Order(StringComparer.Ordinal));
    }
}
