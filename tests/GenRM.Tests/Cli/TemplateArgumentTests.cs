using System.Text.Json;
using System.Text.Json.Nodes;
using GenRM.Cli;
using GenRM.Data;
using GenRM.Experiments;
using GenRM.MiniWorld;
using static TorchSharp.torch;

namespace GenRM.Tests.Cli;

/// <summary><c>--template-arg</c> and a spec's <c>template_arguments</c> reach the chat template; where no template can take them, they are refused.</summary>
public sealed class TemplateArgumentTests
{
    static readonly string ChatTemplates = TestPaths.Fixtures("chat-templates");

    [Fact]
    public void ValuesAreJsonWhenTheyReadAsJsonElseStringsAndALaterNameWins()
    {
        var arguments = TemplateArgumentOption.Parse(["enable_thinking=true", "date_string=26 Jul 2024", "n=3", "tags=[\"a\"]", "enable_thinking=false"])!;
        Assert.Equal(JsonValueKind.False, arguments["enable_thinking"].ValueKind);
        Assert.Equal("26 Jul 2024", arguments["date_string"].GetString());
        Assert.Equal(3, arguments["n"].GetInt32());
        Assert.Equal("a", arguments["tags"][0].GetString());
        Assert.Null(TemplateArgumentOption.Parse([]));
        var merged = TemplateArgumentOption.Over(new Dictionary<string, JsonElement> { ["a"] = JsonSerializer.SerializeToElement(1), ["b"] = JsonSerializer.SerializeToElement(2) },
            new Dictionary<string, JsonElement> { ["b"] = JsonSerializer.SerializeToElement(3) })!;
        Assert.Equal([("a", 1), ("b", 3)], merged.OrderBy(p => p.Key).Select(p => (p.Key, p.Value.GetInt32())));
    }

    [Theory]
    [InlineData("enable_thinking")]
    [InlineData("=false")]
    [InlineData("two words=1")]
    public void AnArgumentThatIsNotNameEqualsValueIsBadUsage(string text)
    {
        var (code, _, error) = CliContractTests.Run("eval", "--judge", "zero-shot", "--model", "m", "--data", "x.jsonl", "--template-arg", text);
        Assert.Equal(2, code);
        Assert.Contains($"--template-arg '{text}' is not name=value", error);
    }

    [Fact]
    public void MiniWorldTakesNoTemplateArguments()
    {
        var (code, _, error) = CliContractTests.Run("reproduce", "--preset", "smoke", "--template-arg", "enable_thinking=false");
        Assert.Equal(2, code);
        Assert.Contains("MiniWorld's template takes none", error);
        var refusal = Assert.Throws<BadInputException>(() => JudgeModel.Load(MiniWorldBaseModel.Folder(TestPaths.RepositoryRoot, "smoke"), CPU,
            templateArguments: new Dictionary<string, JsonElement> { ["enable_thinking"] = JsonSerializer.SerializeToElement(false) }));
        Assert.Contains("takes no arguments (enable_thinking given)", refusal.Message);
    }

    [Fact]
    public void AHuggingFaceFolderRendersItsTemplateWithTheArguments()
    {
        using var temp = new TempDirectory();
        foreach (string file in Directory.GetFiles(TestPaths.Fixtures("hf-reference", "qwen3")))
            File.Copy(file, temp.File(Path.GetFileName(file)));
        var config = JsonNode.Parse(File.ReadAllText(temp.File("tokenizer_config.json")))!;
        config["chat_template"] = File.ReadAllText(Path.Combine(ChatTemplates, "qwen3.jinja"));
        File.WriteAllText(temp.File("tokenizer_config.json"), config.ToJsonString());
        ChatMessage[] chat = [ChatMessage.User("Hi")];

        using var thinking = JudgeModel.Load(temp.Path, CPU);
        using var notThinking = JudgeModel.Load(temp.Path, CPU, templateArguments: TemplateArgumentOption.Parse(["enable_thinking=false"]));

        Assert.EndsWith("<|im_start|>assistant\n", thinking.Encoder.Template.Render(chat, addGenerationPrompt: true), StringComparison.Ordinal);
        Assert.EndsWith("<|im_start|>assistant\n<think>\n\n</think>\n\n", notThinking.Encoder.Template.Render(chat, addGenerationPrompt: true), StringComparison.Ordinal);
    }

    [Fact]
    public void ASpecCarriesTemplateArgumentsForItsBaseModel()
    {
        using var temp = new TempDirectory();
        string path = temp.File("spec.json");
        File.WriteAllText(path, """{"files": {"base_model": "model", "template_arguments": {"enable_thinking": false}}}""");
        var spec = ExperimentSpec.Load(path);
        Assert.Equal(JsonValueKind.False, spec.Files!.TemplateArguments!["enable_thinking"].ValueKind);
        Assert.Contains("\"template_arguments\"", spec.ToJson(), StringComparison.Ordinal);
    }
}
