using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GenRM.Data;
using GenRM.Experiments;
using GenRM.Generation;
using GenRM.MiniWorld;
using GenRM.Modeling;
using GenRM.Modeling.Lora;
using GenRM.Remote;
using GenRM.Serving;
using GenRM.Tests.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRM.Tests.Serving;

/// <summary>
/// <c>genrm serve</c> takes new weights as an engine that samples for training does: LoRA adapters
/// through vLLM's <c>/v1/load_lora_adapter</c> and <c>/v1/unload_lora_adapter</c>, whole checkpoints
/// through SGLang's <c>/update_weights_from_disk</c>; requests naming an adapter get its outputs, the
/// same, seed for seed, as the model with those weights sampled in this process. Each test serves its
/// own copy of the smoke model, since it changes the weights served.
/// </summary>
public sealed class EngineWeightsTests : IAsyncLifetime, IDisposable
{
    static readonly LoraConfig Adapters = new() { Rank = 4, Alpha = 8 };

    readonly TempDirectory temp = new();
    ServedModel served = null!;
    JudgeServer server = null!;
    HttpClient http = null!;
    JudgeModel local = null!;
    EngineClient engine = null!;

    Uri V1 => new(server.Address, "/v1");

    public async Task InitializeAsync()
    {
        served = ServedModel.Load(ServerFixture.SmokeModel, null, null, CPU);
        server = await JudgeServer.StartAsync(served, ServerFixture.Config);
        http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(60) };
        local = JudgeModel.Load(ServerFixture.SmokeModel, CPU);
        engine = EngineClient.Connect(V1.ToString(), null, null, TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        engine.Dispose();
        await server.DisposeAsync();
        served.Dispose();
        local.Dispose();
    }

    public void Dispose()
    {
        http.Dispose();
        temp.Dispose();
    }

    async Task<(int Status, string Body)> Post(string path, JsonObject body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The smoke model with trained-looking adapters (random B), saved in PEFT's layout to <paramref name="folder"/>.</summary>
    LanguageModel AdaptedCopy(string folder, long seed)
    {
        var model = local.Loaded.Model.Clone();
        LoraTests.Perturb(model.AddLora(Adapters, seed), seed);
        model.eval();
        LoraAdapterFiles.Save(model, folder, "smoke");
        return model;
    }

    static IReadOnlyList<IReadOnlyList<ChatMessage>> JudgePrompts(int count) =>
        [.. ServerEndpointTests.Pairs(count).Select(p => new MiniWorldJudgePromptFormat().ChainOfThought(p.Prompt, p.Chosen, p.Rejected))];

    /// <summary>What <paramref name="model"/> samples here for each request the endpoint source sends: one prompt, one sample, its own seed.</summary>
    List<string> SampleHere(LanguageModel model, IReadOnlyList<IReadOnlyList<ChatMessage>> prompts, int samples, GenerationOptions options)
    {
        var generator = new TextGenerator(model, local.Loaded.Tokenizer);
        var texts = new List<string>();
        for (int p = 0; p < prompts.Count; p++)
            for (int s = 0; s < samples; s++)
                texts.Add(generator.Generate([local.Encoder.Prompt(prompts[p])], options with { Seed = options.Seed * 1_000_003 + (long)p * samples + s })[0].Text);
        return texts;
    }

    EngineSampler Sampler(string label) => EngineSampler.Start(engine, label, ServerFixture.SmokeModel, MiniWorldBaseModel.Save);

    [Fact]
    public async Task AnAdapterHandedOverIsListedAndSamplesTheSameTextsSeedForSeedAsTheAdaptedModelHere()
    {
        using var sampler = Sampler("star-sft");
        using var adapted = AdaptedCopy(temp.File("adapted"), seed: 5);
        var prompts = JudgePrompts(2);
        // The STaR sampling settings, cut short: the texts only need to be long enough to tell weights apart.
        var options = JudgeFactory.RationaleSampling(Presets.Smoke.Star, 7) with { MaxNewTokens = 48 };

        var onBase = sampler.Sample(prompts, 2, options);
        Assert.Equal(SampleHere(local.Loaded.Model, prompts, 2, options), onBase);

        var serving = sampler.Follow(adapted, temp.File("iteration-1"), 1);
        Assert.Equal(("star-sft-iteration-1", EngineWeights.LoraKind, temp.File("iteration-1/adapter")), (serving.Model, serving.Kind, serving.Path));
        var onAdapter = sampler.Sample(prompts, 2, options);
        Assert.Equal(SampleHere(adapted, prompts, 2, options), onAdapter);
        Assert.NotEqual(onBase, onAdapter);
        Assert.Equal(new[] { "star-sft-iteration-1" }, sampler.Usage.RespondingModels);

        var models = JsonNode.Parse(await http.GetStringAsync("/v1/models"))!["data"]!.AsArray();
        Assert.Equal(new[] { "smoke", "star-sft-iteration-1" }, models.Select(m => m!["id"]!.GetValue<string>()));
        Assert.Equal("smoke", models[1]!["parent"]!.GetValue<string>());
        Assert.Equal(temp.File("iteration-1/adapter"), models[1]!["root"]!.GetValue<string>());

        // The next iteration's adapter replaces it: loaded under a new name, the old one unloaded.
        LoraTests.Perturb(adapted.Lora!, 6);
        sampler.Follow(adapted, temp.File("iteration-2"), 2);
        Assert.Equal(new[] { "smoke", "star-sft-iteration-2" }, served.Adapters.Select(a => a.Name).Prepend(served.Id));
        Assert.Equal(SampleHere(adapted, prompts, 1, options), sampler.Sample(prompts, 1, options));
    }

    [Fact]
    public void AFullCheckpointHandedOverReplacesTheBaseWeightsAndTheNextMethodStartsOnTheBaseAgain()
    {
        using var trained = local.Loaded.Model.Clone();
        using (no_grad())
        using (var generator = new Generator(3))
            foreach (var (_, parameter) in trained.named_parameters())
                parameter.add_(empty(parameter.shape).normal_(0, 0.05, generator));
        trained.eval();
        var prompts = JudgePrompts(2);
        var greedy = new GenerationOptions { Temperature = 0, MaxNewTokens = 48 };

        using (var sampler = Sampler("star-sft"))
        {
            var serving = sampler.Follow(trained, temp.Path, 1);
            Assert.Equal(("smoke", EngineWeights.CheckpointKind, temp.File("checkpoint")), (serving.Model, serving.Kind, serving.Path));
            Assert.Equal(SampleHere(trained, prompts, 1, greedy), sampler.Sample(prompts, 1, greedy));
            Assert.NotEqual(SampleHere(local.Loaded.Model, prompts, 1, greedy), sampler.Sample(prompts, 1, greedy));
        }
        using var next = Sampler("star-dpo");
        Assert.Null(engine.ReloadedFrom);
        Assert.Equal(SampleHere(local.Loaded.Model, prompts, 1, greedy), next.Sample(prompts, 1, greedy));
    }

    [Fact]
    public async Task BadAdapterRequestsAreAnsweredAsVllmDoesNamingTheAdapterAndTheFile()
    {
        var (status, body) = await Post("/v1/load_lora_adapter", new JsonObject { ["lora_name"] = "a" });
        Assert.Equal(400, status);
        Assert.Contains("Both 'lora_name' and 'lora_path' must be provided", body);

        string nowhere = temp.File("no-such-adapter");
        (status, body) = await Post("/v1/load_lora_adapter", new JsonObject { ["lora_name"] = "a", ["lora_path"] = nowhere });
        Assert.Equal(404, status);
        Assert.Contains(nowhere, body);

        // A model folder is not an adapter folder: the answer names the file that is missing.
        (status, body) = await Post("/v1/load_lora_adapter", new JsonObject { ["lora_name"] = "a", ["lora_path"] = ServerFixture.SmokeModel });
        Assert.Equal(400, status);
        Assert.Contains(Path.Combine(ServerFixture.SmokeModel, LoraAdapterFiles.ConfigFileName), JsonNode.Parse(body)!["error"]!["message"]!.GetValue<string>());
        Assert.Contains("'a'", body);

        using (AdaptedCopy(temp.File("adapter"), seed: 2)) { }
        (status, body) = await Post("/v1/load_lora_adapter", new JsonObject { ["lora_name"] = "a", ["lora_path"] = temp.File("adapter") });
        Assert.Equal((200, "Success: LoRA adapter 'a' added successfully."), (status, body));
        (status, body) = await Post("/v1/load_lora_adapter", new JsonObject { ["lora_name"] = "a", ["lora_path"] = temp.File("adapter") });
        Assert.Equal(400, status);
        Assert.Contains("The lora adapter 'a' has already been loaded.", body);
        (status, body) = await Post("/update_weights_from_disk", new JsonObject { ["model_path"] = ServerFixture.SmokeModel });
        Assert.Equal(400, status);
        Assert.Contains("unload the LoRA adapters (a)", body);

        Assert.Equal(200, (await Post("/v1/unload_lora_adapter", new JsonObject { ["lora_name"] = "a" })).Status);
        (status, body) = await Post("/v1/unload_lora_adapter", new JsonObject { ["lora_name"] = "a" });
        Assert.Equal(404, status);
        Assert.Contains("The lora adapter 'a' cannot be found.", body);
        (status, body) = await Post("/v1/chat/completions", new JsonObject { ["model"] = "a", ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "1+1" }) });
        Assert.Equal(404, status);
    }

    [Fact]
    public void TheSamplerReportsAnEngineErrorAsOneBadInputNamingTheEngineTheCallAndTheFile()
    {
        var error = Assert.Throws<BadInputException>(() => engine.LoadLoraAdapter("x", ServerFixture.SmokeModel));
        Assert.Contains(V1.ToString(), error.Message);
        Assert.Contains("load_lora_adapter 'x'", error.Message);
        Assert.Contains("400", error.Message);
        Assert.Contains(LoraAdapterFiles.ConfigFileName, error.Message);
    }

    [Fact]
    public void AnEngineThatIsNotThereIsOneBadInputNamingItsUrl()
    {
        var error = Assert.Throws<BadInputException>(() => EngineClient.Connect("http://127.0.0.1:1/v1", null, null, TimeSpan.FromSeconds(10)));
        Assert.Contains("http://127.0.0.1:1/v1", error.Message);
        Assert.Contains("cannot reach the engine", error.Message);
        var unknown = Assert.Throws<BadInputException>(() => EngineClient.Connect(V1.ToString(), "llama", null, TimeSpan.FromSeconds(10)).Dispose());
        Assert.Contains("does not serve 'llama' (it serves smoke)", unknown.Message);
    }
}
