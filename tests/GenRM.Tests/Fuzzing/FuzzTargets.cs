using System.IO.Compression;
using System.Text;
using System.Text.Json.Serialization;
using GenRM.Data;
using GenRM.Experiments;
using GenRM.Modeling;
using GenRM.Tests.Modeling;
using GenRM.Text;
using Parquet.Serialization;
using TorchSharp;

namespace GenRM.Tests.Fuzzing;

/// <summary>Every file reader that takes input from outside: weights, model and tokenizer configs, preference data, experiment specs.</summary>
internal static class FuzzTargets
{
    public const string Safetensors = "safetensors";
    public const string ShardIndex = "safetensors-index";
    public const string Config = "config-json";
    public const string Tokenizer = "tokenizer-json";
    public const string TokenizerConfig = "tokenizer-config-json";
    public const string GenerationConfig = "generation-config-json";
    public const string PreferenceData = "preference-data";
    public const string Spec = "experiment-spec";

    public static IReadOnlyList<string> Names { get; } = [Safetensors, ShardIndex, Config, Tokenizer, TokenizerConfig, GenerationConfig, PreferenceData, Spec];

    public static FuzzTarget Get(string name) => name switch
    {
        Safetensors => new(name, "model.safetensors", SafetensorsSeeds(), ReadSafetensors),
        ShardIndex => new(name, ShardedCheckpoint.IndexFileName, [Utf8(IndexJson)], ReadShardIndex),
        Config => new(name, "config.json", ConfigSeeds(), path => ModelConfig.Load(path)),
        Tokenizer => new(name, HuggingFaceTokenizer.TokenizerFile, TokenizerSeeds(), path => Exercise(HuggingFaceTokenizer.Load(path))),
        TokenizerConfig => new(name, HuggingFaceTokenizer.TokenizerConfigFile, TokenizerConfigSeeds(), ReadTokenizerConfig),
        GenerationConfig => new(name, HuggingFaceTokenizer.GenerationConfigFile, [Utf8("""{"bos_token_id": 1, "eos_token_id": [256, 257], "do_sample": true}"""), Utf8("""{"eos_token_id": 257}""")], ReadGenerationConfig),
        PreferenceData => new(name, "pairs.data", PreferenceSeeds(), path => PreferenceReader.Read(path, PreferenceReadOptions.Lenient)),
        Spec => new(name, "spec.json", [Utf8(Presets.Smoke.ToJson()), Utf8((Presets.Paper with { Files = new FileStudy { BaseModel = "models/llama", Train = "data/train.jsonl" } }).ToJson())], path => ExperimentSpec.Load(path)),
        _ => throw new ArgumentException($"no fuzz target '{name}'", nameof(name)),
    };

    static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Opens the file, checks the tensors never claim more bytes than the folder's files hold, and reads every tensor (as float32 where it is floating point).</summary>
    static void ReadSafetensors(string path)
    {
        using var scope = torch.NewDisposeScope();
        using var checkpoint = SafetensorsCheckpoint.Open(path);
        long claimed = checkpoint.Tensors.Values.Sum(t => t.ByteCount);
        long held = Directory.GetFiles(Path.GetDirectoryName(path)!).Sum(file => new FileInfo(file).Length);
        if (claimed > held)
            throw new InvalidOperationException($"the headers claim {claimed} bytes; the files hold {held}");
        foreach (string name in checkpoint.Tensors.Keys)
            checkpoint.Read(name, torch.ScalarType.Float32).Dispose();
    }

    const string Shard = "model-00001-of-00001.safetensors";

    static readonly string IndexJson = """{"metadata": {"total_size": 45}, "weight_map": {"a": "SHARD", "b": "SHARD", "c": "SHARD", "d": "SHARD"}}""".Replace("SHARD", Shard, StringComparison.Ordinal);

    /// <summary>The fuzzed index beside a valid shard holding the tensors it should list.</summary>
    static void ReadShardIndex(string path)
    {
        string shard = Path.Combine(Path.GetDirectoryName(path)!, Shard);
        if (!File.Exists(shard))
            File.WriteAllBytes(shard, SafetensorsSeeds()[0]);
        ReadSafetensors(path);
    }

    static List<byte[]> SafetensorsSeeds()
    {
        byte[] floats = SafetensorsBytes.Floats(1, 2, 3, 4, 5, 6);
        return
        [
            SafetensorsBytes.Build("""{"__metadata__":{"format":"pt","step":"3"},"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"b":{"dtype":"I64","shape":[2],"data_offsets":[24,40]},"c":{"dtype":"BF16","shape":[2],"data_offsets":[40,44]},"d":{"dtype":"BOOL","shape":[],"data_offsets":[44,45]}}""",
                SafetensorsBytes.Concat(floats, SafetensorsBytes.Longs(7, -8), [0x80, 0x3F, 0x00, 0x40], [1])),
            SafetensorsBytes.Build("""{"z":{"dtype":"F16","shape":[0,4],"data_offsets":[0,0]},"u":{"dtype":"U8","shape":[3],"data_offsets":[0,3]}}""", [1, 2, 3]),
            SafetensorsBytes.Build("{}", []),
        ];
    }

    static List<byte[]> ConfigSeeds() =>
    [
        Utf8(TinyModels.Config().ToJson().ToJsonString()),
        Utf8((TinyModels.Config(type: "qwen2", labels: 1) with { EosTokenIds = [1, 2], RopeScaling = new RopeScaling(8, 1, 4, 8192), BosTokenId = 0, PadTokenId = 3 }).ToJson().ToJsonString()),
    ];

    static ByteLevelVocabulary Vocabulary() =>
        ByteLevelVocabulary.Create([("h", "e"), ("l", "l"), ("he", "ll"), (" ", "w")], ["<|begin|>", "<|end|>"]);

    static List<byte[]> TokenizerSeeds()
    {
        using var folder = new TempDirectory();
        var vocabulary = Vocabulary();
        string gpt2 = folder.File("gpt2.json"), llama = folder.File("llama.json");
        vocabulary.WriteTokenizerJson(gpt2);
        vocabulary.WriteTokenizerJson(llama, PreTokenizerPatterns.Llama3, mergesAsArrays: true);
        return [File.ReadAllBytes(gpt2), File.ReadAllBytes(llama)];
    }

    static void Exercise(HuggingFaceTokenizer tokenizer)
    {
        int[] ids = tokenizer.Encode("hello world 123 ünïcode 𝐀 <|end|>\n\n  x");
        tokenizer.Decode(ids);
    }

    static List<byte[]> TokenizerConfigSeeds()
    {
        using var folder = new TempDirectory();
        string plain = folder.File("a.json"), templated = folder.File("b.json");
        ByteLevelVocabulary.WriteTokenizerConfig(plain, "<|begin|>", "<|end|>");
        ByteLevelVocabulary.WriteTokenizerConfig(templated, "<|begin|>", "<|end|>", "<|end|>", "{% for m in messages %}{{ m['content'] }}{% endfor %}");
        return [File.ReadAllBytes(plain), File.ReadAllBytes(templated)];
    }

    /// <summary>A valid tokenizer.json beside the fuzzed tokenizer_config.json.</summary>
    static void ReadTokenizerConfig(string path)
    {
        string tokenizer = Path.Combine(Path.GetDirectoryName(path)!, "valid-" + HuggingFaceTokenizer.TokenizerFile);
        if (!File.Exists(tokenizer))
            Vocabulary().WriteTokenizerJson(tokenizer);
        HuggingFaceTokenizer.Load(tokenizer, path);
    }

    static void ReadGenerationConfig(string path)
    {
        string tokenizer = Path.Combine(Path.GetDirectoryName(path)!, HuggingFaceTokenizer.TokenizerFile);
        if (!File.Exists(tokenizer))
            Vocabulary().WriteTokenizerJson(tokenizer);
        HuggingFaceTokenizer.FromFolder(Path.GetDirectoryName(path)!);
    }

    static List<byte[]> PreferenceSeeds()
    {
        string[] lines =
        [
            """{"prompt": "What is 2+2?", "chosen": "4", "rejected": "5"}""",
            """{"prompt": "Name a colour.", "prompt_id": "p1", "chosen": [{"role": "user", "content": "Name a colour."}, {"role": "assistant", "content": "Blue."}], "rejected": [{"role": "user", "content": "Name a colour."}, {"role": "assistant", "content": "Seven."}], "score_chosen": 8.0, "score_rejected": 5.5}""",
        ];
        string rewardBench = """{"prompt": "Hi", "chosen": "Hello!", "chosen_model": "x", "rejected": "Go away.", "rejected_model": "y", "subset": "alpacaeval-easy", "id": 30}""";
        string hh = """{"chosen": "\n\nHuman: Hi\n\nAssistant: Hello!", "rejected": "\n\nHuman: Hi\n\nAssistant: Go away."}""";
        string humanEval = """{"task_id": "Python/3", "prompt": "def f(x):\n", "canonical_solution": "    return x\n", "buggy_solution": "    return -x\n", "bug_type": "operator misuse", "test": "assert f(1) == 1"}""";
        string llmBar = """[{"input": "Say hi.", "output_1": "Hi!", "output_2": "Bye.", "label": 1}, {"input": "Say bye.", "output_1": "Hi!", "output_2": "Bye.", "label": 2}]""";
        byte[] jsonLines = Utf8(string.Join('\n', lines) + "\n");
        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(jsonLines);
        return [jsonLines, Utf8(rewardBench + "\r\n" + rewardBench.Replace("30", "31", StringComparison.Ordinal) + "\r\n"), Utf8(hh), Utf8(humanEval), Utf8(llmBar), gzipped.ToArray(), ParquetSeed()];
    }

    sealed class Row
    {
        [JsonPropertyName("prompt")] public string Prompt { get; set; } = "";
        [JsonPropertyName("chosen")] public string Chosen { get; set; } = "";
        [JsonPropertyName("rejected")] public string Rejected { get; set; } = "";
        [JsonPropertyName("margin")] public double Margin { get; set; }
    }

    static byte[] ParquetSeed()
    {
        using var stream = new MemoryStream();
        Row[] rows = [new() { Prompt = "2+2?", Chosen = "4", Rejected = "5", Margin = 1 }, new() { Prompt = "Sky?", Chosen = "Blue.", Rejected = "Green.", Margin = 0.5 }];
        ParquetSerializer.SerializeAsync(rows, stream, new Parquet.ParquetOptions { RowGroupSize = 1 }).GetAwaiter().GetResult();
        return stream.ToArray();
    }
}
