using System.ClientModel;
using System.Text.Json.Nodes;
using GenRM.Data;
using GenRM.Generation;
using GenRM.Judging;
using GenRM.MiniWorld;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;

namespace GenRM.Tests.Serving;

[Collection(SharedServer.Name)]
public sealed class ServerEndpointTests(ServerFixture fixture)
{
    internal static IReadOnlyList<PreferencePair> Pairs(int count) =>
        [.. MiniWorldSplits.Generate(MiniWorldConfig.Smoke, 3).SectionPairs(MiniWorldSections.InDistribution).Take(count)];

    static JsonObject PreferenceBody(JudgeItem item) => new()
    {
        ["prompt"] = item.Prompt[^1].Content,
        ["response_a"] = item.ResponseA,
        ["response_b"] = item.ResponseB,
    };

    static JudgeItem Item(PreferencePair pair, bool chosenFirst) =>
        chosenFirst ? new(pair.Prompt, pair.Chosen, pair.Rejected) : new(pair.Prompt, pair.Rejected, pair.Chosen);

    [Fact]
    public async Task TheOfficialOpenAiClientGetsTheSameGreedyCompletionAsTheModelInProcess()
    {
        const string question = "What is 12+5?";
        var client = new ChatClient("smoke", new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = fixture.V1 });
        ChatCompletion completion = (await client.CompleteChatAsync([new UserChatMessage(question)], new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 24 })).Value;

        var reference = fixture.Reference;
        var expected = new TextGenerator(reference.Loaded.Model, reference.Loaded.Tokenizer)
            .Generate([reference.Encoder.Prompt([GenRM.Data.ChatMessage.User(question)])], new GenerationOptions { Temperature = 0, MaxNewTokens = 24 })[0];
        Assert.Equal(expected.Text, completion.Content[0].Text);
        Assert.Equal("smoke", completion.Model);
        Assert.Equal(expected.TokenIds.Length, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task MicrosoftExtensionsAiGetsSeededSamplesThatRepeat()
    {
        using IChatClient client = new ChatClient("smoke", new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = fixture.V1 }).AsIChatClient();
        var options = new ChatOptions { Temperature = 1, TopP = 0.95f, MaxOutputTokens = 32, Seed = 42 };
        var first = await client.GetResponseAsync("What is 3+4?", options);
        var second = await client.GetResponseAsync("What is 3+4?", options);
        Assert.False(string.IsNullOrEmpty(first.Text));
        Assert.Equal(first.Text, second.Text);
    }

    [Fact]
    public async Task ChatCompletionsHonoursNStopAndMaxTokens()
    {
        var (status, json) = await fixture.Post("/v1/chat/completions", new JsonObject
        {
            ["model"] = "smoke",
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "What is 3+4?" }),
            ["n"] = 3,
            ["max_tokens"] = 12,
            ["stop"] = new JsonArray("\n"),
            ["seed"] = 7,
        });
        Assert.Equal(200, status);
        var choices = json!["choices"]!.AsArray();
        Assert.Equal(3, choices.Count);
        foreach (var choice in choices)
        {
            string text = choice!["message"]!["content"]!.GetValue<string>();
            Assert.DoesNotContain('\n', text);
            Assert.True(text.Length <= 12, text);
        }
        Assert.True(json["usage"]!["completion_tokens"]!.GetValue<int>() <= 36);
    }

    [Fact]
    public async Task ModelsListsTheServedModelAndItsJudge()
    {
        var json = JsonNode.Parse(await fixture.Http.GetStringAsync("/v1/models"))!;
        var model = Assert.Single(json["data"]!.AsArray())!;
        Assert.Equal("smoke", model["id"]!.GetValue<string>());
        Assert.Equal("zero-shot", model["judge"]!.GetValue<string>());
    }

    [Fact]
    public async Task PreferenceReturnsTheInProcessJudgesProbability()
    {
        var items = Pairs(6).SelectMany(p => new[] { Item(p, true), Item(p, false) }).ToArray();
        var expected = fixture.Reference.CreateJudge("zero-shot", 8, 1).Judge(items);
        for (int i = 0; i < items.Length; i++)
        {
            var (status, json) = await fixture.Post("/v1/preference", PreferenceBody(items[i]));
            Assert.Equal(200, status);
            Assert.Equal(expected[i].ProbabilityABetter, json!["p_a_better"]!.GetValue<double>(), 1e-5);
            Assert.Equal(expected[i].Verdict.ToString(), json["verdict"]!.GetValue<string>());
            Assert.Null(json["rationale"]);
        }
    }

    [Fact]
    public async Task PreferenceTakesChatMessagesAsThePrompt()
    {
        var item = Item(Pairs(1)[0], true);
        var body = PreferenceBody(item);
        body["prompt"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = item.Prompt[^1].Content });
        var (status, json) = await fixture.Post("/v1/preference", body);
        Assert.Equal(200, status);
        Assert.Equal(fixture.Reference.CreateJudge("zero-shot", 8, 1).Judge([item])[0].ProbabilityABetter, json!["p_a_better"]!.GetValue<double>(), 1e-5);
    }

    [Fact]
    public async Task TwentyConcurrentRequestsAllSucceedAndShareForwardPasses()
    {
        var items = Pairs(10).SelectMany(p => new[] { Item(p, true), Item(p, false) }).ToArray();
        var expected = fixture.Reference.CreateJudge("zero-shot", 8, 1).Judge(items);
        var before = fixture.Server.Batching;
        var answers = await Task.WhenAll(items.Select(item => fixture.Post("/v1/preference", PreferenceBody(item))));
        var after = fixture.Server.Batching;
        for (int i = 0; i < items.Length; i++)
        {
            Assert.Equal(200, answers[i].Status);
            Assert.Equal(expected[i].ProbabilityABetter, answers[i].Json!["p_a_better"]!.GetValue<double>(), 1e-5);
        }
        Assert.True(after.Passes - before.Passes < after.Requests - before.Requests,
            $"{after.Requests - before.Requests} requests took {after.Passes - before.Passes} forward passes: no batching happened.");
    }

    [Fact]
    public async Task MalformedJsonGetsA400NamingTheProblem()
    {
        var (status, json) = await fixture.PostRaw("/v1/preference", "{\"prompt\": \"x\", ");
        Assert.Equal(400, status);
        Assert.Contains("not valid JSON", json!["error"]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"response_a\": \"a\", \"response_b\": \"b\"}", "prompt")]
    [InlineData("{\"prompt\": \"What is 1+1?\", \"response_a\": 3, \"response_b\": \"b\"}", "response_a")]
    [InlineData("[1, 2]", "JSON object")]
    public async Task APreferenceWithAMissingOrWrongFieldGetsA400NamingIt(string body, string named)
    {
        var (status, json) = await fixture.PostRaw("/v1/preference", body);
        Assert.Equal(400, status);
        Assert.Contains(named, json!["error"]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("\"temperature\": -1", "temperature")]
    [InlineData("\"top_p\": 0", "top_p")]
    [InlineData("\"n\": 100", "'n'")]
    [InlineData("\"max_tokens\": 100000", "max_tokens")]
    [InlineData("\"stream\": true", "streaming")]
    public async Task AChatRequestWithAnInvalidSettingGetsA400NamingIt(string setting, string named)
    {
        var (status, json) = await fixture.PostRaw("/v1/chat/completions", $"{{\"model\": \"smoke\", \"messages\": [{{\"role\": \"user\", \"content\": \"hi\"}}], {setting}}}");
        Assert.Equal(400, status);
        Assert.Contains(named, json!["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ATenMegabyteBodyGetsA413()
    {
        string big = "{\"prompt\": \"" + new string('a', 10 * 1024 * 1024) + "\"}";
        var (status, json) = await fixture.PostRaw("/v1/preference", big, expectContinue: true);
        Assert.Equal(413, status);
        Assert.Contains("larger than the server's limit", json!["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnUnknownModelGetsA404NamingTheServedOne()
    {
        var (status, json) = await fixture.PostRaw("/v1/chat/completions", "{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
        Assert.Equal(404, status);
        string message = json!["error"]!["message"]!.GetValue<string>();
        Assert.Contains("gpt-4o", message);
        Assert.Contains("smoke", message);
    }

    [Fact]
    public async Task TextOutsideTheTokenizersAlphabetGetsA400()
    {
        var (status, json) = await fixture.PostRaw("/v1/preference", "{\"prompt\": \"Wie viel ist 1+1? \u00fc\", \"response_a\": \"2\", \"response_b\": \"3\"}");
        Assert.Equal(400, status);
        Assert.Contains("not in the vocabulary", json!["error"]!["message"]!.GetValue<string>());
    }
}
