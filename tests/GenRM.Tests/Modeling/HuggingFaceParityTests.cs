using System.Text;
using System.Text.Json.Nodes;
using GenRM.Generation;
using GenRM.Modeling;
using GenRM.Text;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace GenRM.Tests.Modeling;

/// <summary>
/// Our model against transformers itself. tools/make_hf_reference.py saved one tiny random model per
/// family and per config switch that changes the forward pass (rope variants, biases, tying, GQA and
/// MQA, sliding window, explicit head_dim, shards, bf16 weights) with transformers' logits and greedy
/// generations and the Rust tokenizers library's ids; here each folder is loaded through
/// <see cref="PretrainedModel"/> and must agree. A missing fixture fails its case, never skips.
/// </summary>
public sealed class HuggingFaceParityTests(ITestOutputHelper output)
{
    static readonly string FixturesFolder = TestPaths.Fixtures("hf-reference");

    // Every fixture the generator writes (its VARIANTS). Listed here rather than read from the
    // folder, so a deleted or never-generated fixture is a failing case by name.
    static readonly string[] Fixtures =
    [
        "llama", "llama-rope-llama3", "llama-rope-linear", "llama-rope-dynamic", "llama-attention-bias",
        "llama-mlp-bias", "llama-mqa", "llama-mha", "llama-tied", "llama-sharded", "llama-bf16",
        "qwen2", "qwen3", "mistral", "mistral-sliding-window", "mistral-head-dim",
    ];

    // Float32 arithmetic on both sides; the bf16 fixture's weights are upcast exactly to float32 by
    // both loaders and its reference logits were computed in float32, so the same bound holds.
    const double Tolerance = 1e-4;

    public static TheoryData<string> FixtureNames() => [.. Fixtures];

    [Fact]
    public void EveryFixtureFolderIsListed()
    {
        Assert.True(Directory.Exists(FixturesFolder), $"{FixturesFolder} is missing; run tools/make_hf_reference.py (see tools/README.md).");
        var present = Directory.EnumerateDirectories(FixturesFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Fixtures.Order(StringComparer.Ordinal), present);
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void LogitsMatchTransformers(string fixture)
    {
        var (folder, reference) = Open(fixture);
        using var loaded = PretrainedModel.Load(folder);
        using var noGrad = no_grad();
        double worst = 0;
        foreach (JsonNode? prompt in reference["prompts"]!.AsArray())
        {
            using var scope = NewDisposeScope();
            long[] ids = Longs(prompt!["input_ids"]!);
            Tensor actual = loaded.Model.Forward(tensor(ids).unsqueeze(0))[0];
            double difference = MaxDifference(actual, prompt["all_logits"]!);
            Assert.True(difference < Tolerance, $"{fixture}: logits differ by {difference} for prompt [{string.Join(", ", ids)}]");
            worst = Math.Max(worst, difference);
        }
        output.WriteLine($"{fixture}: max |Δlogit| {worst:E2} over every prompt position (transformers {Version(reference)})");
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void GreedyGenerationAloneMatchesTransformers(string fixture)
    {
        var (folder, reference) = Open(fixture);
        using var loaded = PretrainedModel.Load(folder);
        var generator = new TextGenerator(loaded.Model, loaded.Tokenizer);
        foreach (JsonNode? prompt in reference["prompts"]!.AsArray())
        {
            int[] ids = Ints(prompt!["input_ids"]!);
            int[] expected = Ints(prompt["greedy_new_tokens"]!);
            var completion = generator.Generate([ids], Greedy(expected.Length))[0];
            Assert.Equal(expected, completion.TokenIds);
        }
    }

    /// <summary>
    /// The prompts left-padded into one batch and continued with the KV cache, as transformers'
    /// generate does: the greedy tokens of each row, and the logits of the first step (the prompts'
    /// last position) and of the last one (after the cache has taken the generated tokens).
    /// </summary>
    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void LeftPaddedBatchWithKvCacheMatchesTransformers(string fixture)
    {
        var (folder, reference) = Open(fixture);
        JsonNode batched = reference["batched"]!;
        using var loaded = PretrainedModel.Load(folder);
        int[][] expected = batched["greedy_new_tokens"]!.AsArray().Select(row => Ints(row!)).ToArray();

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long[][] ids = batched["input_ids"]!.AsArray().Select(row => Longs(row!)).ToArray();
        long[][] mask = batched["attention_mask"]!.AsArray().Select(row => Longs(row!)).ToArray();
        int rows = ids.Length, width = ids[0].Length, steps = expected[0].Length;
        using var cache = new KvCache(loaded.Model.Config, rows, width + steps, loaded.Model.DType, loaded.Model.Device);
        Tensor first = loaded.Model.Forward(Matrix(ids), Matrix(mask), cache).select(1, -1);
        double firstDifference = MaxDifference(first, batched["first_step_logits"]!);
        Tensor last = first;
        for (int step = 0; step < steps - 1; step++)
        {
            long[][] column = expected.Select(tokens => new long[] { tokens[step] }).ToArray();
            last = loaded.Model.Forward(Matrix(column), ones(rows, 1, dtype: ScalarType.Int64), cache).select(1, -1);
        }
        double lastDifference = MaxDifference(last, batched["last_step_logits"]!);
        Assert.True(firstDifference < Tolerance, $"{fixture}: the batch's first-step logits differ by {firstDifference}");
        Assert.True(lastDifference < Tolerance, $"{fixture}: the batch's logits after {steps - 1} cached steps differ by {lastDifference}");
        output.WriteLine($"{fixture}: left-padded batch, max |Δlogit| {firstDifference:E2} at the prompts' end, {lastDifference:E2} after {steps - 1} cached steps");

        int[][] prompts = reference["prompts"]!.AsArray().Select(p => Ints(p!["input_ids"]!)).ToArray();
        var completions = new TextGenerator(loaded.Model, loaded.Tokenizer).Generate(prompts, Greedy(steps));
        for (int row = 0; row < prompts.Length; row++)
            Assert.Equal(expected[row], completions[row].TokenIds);
    }

    /// <summary>
    /// <see cref="HuggingFaceTokenizer.Encode"/> adds no special tokens, so it must give the
    /// Rust library's ids without them; the BOS a chat template writes as text gives the ids with them.
    /// </summary>
    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void TokenizerMatchesHuggingFaceTokenizers(string fixture)
    {
        var (folder, reference) = Open(fixture);
        var tokenizer = HuggingFaceTokenizer.FromFolder(folder);
        bool normalizesNfc = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "tokenizer.json")))!["normalizer"]?["type"]?.GetValue<string>() == "NFC";
        string bos = tokenizer.BosId is int id ? tokenizer.Decode([id]) : "";
        foreach (JsonNode? sample in reference["tokenizer"]!["samples"]!.AsArray())
        {
            string text = sample!["text"]!.GetValue<string>();
            int[] withoutSpecial = Ints(sample["ids_without_special_tokens"]!);
            Assert.Equal(withoutSpecial, tokenizer.Encode(text));
            Assert.Equal(Ints(sample["ids_with_special_tokens"]!), tokenizer.Encode(bos + text));
            Assert.Equal(normalizesNfc ? text.Normalize(NormalizationForm.FormC) : text, tokenizer.Decode(withoutSpecial));
        }
    }

    static (string Folder, JsonNode Reference) Open(string fixture)
    {
        string folder = Path.Combine(FixturesFolder, fixture);
        string path = Path.Combine(folder, "reference.json");
        Assert.True(File.Exists(path), $"{path} is missing; run tools/make_hf_reference.py (see tools/README.md) and commit its output.");
        return (folder, JsonNode.Parse(File.ReadAllText(path))!);
    }

    static string Version(JsonNode reference) => reference["versions"]!["transformers"]!.GetValue<string>();

    static GenerationOptions Greedy(int newTokens) => new() { MaxNewTokens = newTokens, Temperature = 0, EosIds = [] };

    static double MaxDifference(Tensor actual, JsonNode expectedRows)
    {
        float[][] rows = expectedRows.AsArray().Select(row => row!.AsArray().Select(x => x!.GetValue<float>()).ToArray()).ToArray();
        using Tensor expected = tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);
        return (actual.to(ScalarType.Float32).cpu() - expected).abs().max().item<float>();
    }

    static Tensor Matrix(long[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);

    static long[] Longs(JsonNode array) => array.AsArray().Select(x => x!.GetValue<long>()).ToArray();

    static int[] Ints(JsonNode array) => array.AsArray().Select(x => x!.GetValue<int>()).ToArray();
}
