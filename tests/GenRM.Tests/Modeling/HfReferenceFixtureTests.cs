using System.Text.Json.Nodes;
using GenRM.Modeling;
using GenRM.Runtime;
using TorchSharp;

namespace GenRM.Tests.Modeling;

/// <summary>
/// Reads the fixtures tools/make_hf_reference.py writes with transformers (files PyTorch's own
/// safetensors library laid out) and checks their headers against their config.json.
/// </summary>
public sealed class HfReferenceFixtureTests
{
    static readonly string FixturesFolder = Path.Combine(TestPaths.RepositoryRoot, "tests", "GenRM.Tests", "Fixtures", "hf-reference");

    public HfReferenceFixtureTests() => TorchRuntime.EnsureLoaded();

    static List<string> FixtureFolders()
    {
        var folders = Directory.Exists(FixturesFolder)
            ? Directory.EnumerateDirectories(FixturesFolder).Where(d => File.Exists(Path.Combine(d, "model.safetensors"))).Order(StringComparer.Ordinal).ToList()
            : [];
        Skip.If(folders.Count == 0, $"No Hugging Face reference fixtures in {FixturesFolder}; run tools/make_hf_reference.py (see tools/README.md) to create them.");
        return folders;
    }

    [SkippableFact]
    public void ReferenceCheckpointsMatchTheShapesTheirConfigImplies()
    {
        foreach (string folder in FixtureFolders())
            CheckCheckpoint(folder);
    }

    [SkippableFact]
    public void ReferenceJsonIsConsistentWithItsModel()
    {
        foreach (string folder in FixtureFolders())
            CheckReference(folder);
    }

    /// <summary>The checks above, run on a folder laid out like a tied Qwen2 fixture, so they are known to work before the fixtures exist.</summary>
    [Fact]
    public void ChecksAcceptAFolderShapedLikeAFixture()
    {
        using var dir = new TempDirectory();
        using var scope = torch.NewDisposeScope();
        var config = JsonNode.Parse("""
            { "model_type": "qwen2", "hidden_size": 8, "vocab_size": 11, "intermediate_size": 16, "num_attention_heads": 2,
              "num_key_value_heads": 1, "num_hidden_layers": 1, "tie_word_embeddings": true }
            """)!.AsObject();
        var (expected, optional) = LlamaFamilyShapes(config);
        var weights = expected.Where(p => !optional.Contains(p.Key)).ToDictionary(p => p.Key, p => torch.randn(p.Value));
        HuggingFaceCheckpoint.Save(dir.Path, config, weights);
        var prompt = new JsonObject
        {
            ["input_ids"] = new JsonArray(1, 2),
            ["all_logits"] = new JsonArray(Logits(11), Logits(11)),
            ["last_logits"] = Logits(11),
            ["greedy_new_tokens"] = new JsonArray(1, 2, 3, 4, 5, 6, 7, 8),
        };
        File.WriteAllText(Path.Combine(dir.Path, "reference.json"), new JsonObject { ["prompts"] = new JsonArray(prompt) }.ToJsonString());

        CheckCheckpoint(dir.Path);
        CheckReference(dir.Path);
        Assert.Equal(3 + 9 + 3, expected.Count);
    }

    static JsonArray Logits(int vocab) => new([.. Enumerable.Range(0, vocab).Select(i => (JsonNode?)JsonValue.Create(i * 0.5))]);

    static void CheckCheckpoint(string folder)
    {
        var checkpoint = HuggingFaceCheckpoint.Find(folder);
        var (expected, optional) = LlamaFamilyShapes(checkpoint.ReadConfig());
        using var weights = checkpoint.OpenWeights();
        HuggingFaceCheckpoint.ValidateAgainst(weights.Path, expected, weights.Shapes(), optional);

        using var scope = torch.NewDisposeScope();
        foreach (var (name, tensor) in weights.ReadAll())
        {
            Assert.Equal(torch.ScalarType.Float32, tensor.dtype);
            Assert.True(tensor.isfinite().all().item<bool>(), $"{folder}: {name} holds a non-finite value");
        }
    }

    static void CheckReference(string folder)
    {
        long vocab = HuggingFaceCheckpoint.Find(folder).ReadConfig()["vocab_size"]!.GetValue<long>();
        var reference = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "reference.json")))!;
        var prompts = reference["prompts"]!.AsArray();
        Assert.NotEmpty(prompts);
        foreach (var prompt in prompts)
        {
            int length = prompt!["input_ids"]!.AsArray().Count;
            var all = prompt["all_logits"]!.AsArray();
            Assert.Equal(length, all.Count);
            Assert.All(all, row => Assert.Equal(vocab, row!.AsArray().Count));
            Assert.Equal(vocab, prompt["last_logits"]!.AsArray().Count);
            Assert.Equal(8, prompt["greedy_new_tokens"]!.AsArray().Count);
        }
    }

    /// <summary>The tensor shapes of a Llama-family decoder (Llama, Qwen2) as its config.json implies them.</summary>
    static (Dictionary<string, long[]> Expected, HashSet<string> Optional) LlamaFamilyShapes(JsonObject config)
    {
        long Get(string key) => config[key]!.GetValue<long>();
        long hidden = Get("hidden_size"), vocab = Get("vocab_size"), inner = Get("intermediate_size");
        long heads = Get("num_attention_heads"), kvHeads = Get("num_key_value_heads");
        long headDim = config["head_dim"]?.GetValue<long>() ?? hidden / heads;
        bool qkvBias = config["attention_bias"]?.GetValue<bool>() ?? config["model_type"]!.GetValue<string>() == "qwen2";
        var expected = new Dictionary<string, long[]>
        {
            ["model.embed_tokens.weight"] = [vocab, hidden],
            ["model.norm.weight"] = [hidden],
            ["lm_head.weight"] = [vocab, hidden],
        };
        for (int i = 0; i < Get("num_hidden_layers"); i++)
        {
            string p = $"model.layers.{i}.";
            expected[p + "input_layernorm.weight"] = [hidden];
            expected[p + "post_attention_layernorm.weight"] = [hidden];
            expected[p + "self_attn.q_proj.weight"] = [heads * headDim, hidden];
            expected[p + "self_attn.k_proj.weight"] = [kvHeads * headDim, hidden];
            expected[p + "self_attn.v_proj.weight"] = [kvHeads * headDim, hidden];
            expected[p + "self_attn.o_proj.weight"] = [hidden, heads * headDim];
            expected[p + "mlp.gate_proj.weight"] = [inner, hidden];
            expected[p + "mlp.up_proj.weight"] = [inner, hidden];
            expected[p + "mlp.down_proj.weight"] = [hidden, inner];
            if (qkvBias)
            {
                expected[p + "self_attn.q_proj.bias"] = [heads * headDim];
                expected[p + "self_attn.k_proj.bias"] = [kvHeads * headDim];
                expected[p + "self_attn.v_proj.bias"] = [kvHeads * headDim];
            }
        }
        bool tied = config["tie_word_embeddings"]?.GetValue<bool>() ?? false;
        return (expected, tied ? ["lm_head.weight"] : []);
    }
}
