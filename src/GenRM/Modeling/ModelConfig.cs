using System.Text.Json;
using System.Text.Json.Nodes;
using GenRM.IO;

namespace GenRM.Modeling;

/// <summary>
/// Llama 3 rotary scaling (<c>rope_scaling</c> with <c>rope_type</c> "llama3"): long wavelengths are
/// divided by <see cref="Factor"/>, short ones kept, and the band between is interpolated.
/// </summary>
public sealed record RopeScaling(double Factor, double LowFreqFactor, double HighFreqFactor, int OriginalMaxPositionEmbeddings);

/// <summary>
/// The decoder's shape, read from and written to a Hugging Face <c>config.json</c>. One record for
/// the Llama family: <c>llama</c>, <c>mistral</c> (same layers; a sliding window larger than the
/// context changes nothing) and <c>qwen2</c> (bias on the q/k/v projections).
/// </summary>
public sealed record ModelConfig
{
    public string ModelType { get; init; } = "llama";
    public int VocabSize { get; init; }
    public int HiddenSize { get; init; }
    public int IntermediateSize { get; init; }
    public int NumHiddenLayers { get; init; }
    public int NumAttentionHeads { get; init; }
    public int NumKeyValueHeads { get; init; }
    public int MaxPositionEmbeddings { get; init; } = 2048;
    public double RmsNormEps { get; init; } = 1e-5;
    public double RopeTheta { get; init; } = 10000.0;
    public RopeScaling? RopeScaling { get; init; }
    public bool TieWordEmbeddings { get; init; }
    /// <summary>Bias on q_proj, k_proj and v_proj (Qwen2); o_proj never has one.</summary>
    public bool AttentionBias { get; init; }
    public int? BosTokenId { get; init; }
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    public int? PadTokenId { get; init; }
    /// <summary>Width of the reward head (<c>score.weight</c>): 0 none, 1 Bradley-Terry, 2 pairwise classifier.</summary>
    public int NumLabels { get; init; }
    /// <summary>Weight dtype on disk, as Hugging Face names it (float32, bfloat16, float16).</summary>
    public string TorchDtype { get; init; } = "float32";

    public int HeadDim => HiddenSize / NumAttentionHeads;

    static readonly string[] SupportedTypes = ["llama", "mistral", "qwen2"];

    /// <summary>Checks the numbers fit together; throws <see cref="BadInputException"/> naming the field.</summary>
    public ModelConfig Validated(string source = "config")
    {
        void Require(bool ok, string problem)
        {
            if (!ok) throw BadInputException.About(source, problem);
        }
        Require(SupportedTypes.Contains(ModelType), $"model_type '{ModelType}' is not supported (supported: {string.Join(", ", SupportedTypes)}).");
        Require(VocabSize > 0, "vocab_size must be positive.");
        Require(HiddenSize > 0, "hidden_size must be positive.");
        Require(IntermediateSize > 0, "intermediate_size must be positive.");
        Require(NumHiddenLayers > 0, "num_hidden_layers must be positive.");
        Require(NumAttentionHeads > 0 && HiddenSize % NumAttentionHeads == 0, "hidden_size must be a multiple of num_attention_heads.");
        Require(HeadDim % 2 == 0, "the head dimension must be even for rotary embeddings.");
        Require(NumKeyValueHeads > 0 && NumAttentionHeads % NumKeyValueHeads == 0, "num_attention_heads must be a multiple of num_key_value_heads.");
        Require(MaxPositionEmbeddings > 0, "max_position_embeddings must be positive.");
        Require(RmsNormEps > 0 && RopeTheta > 0, "rms_norm_eps and rope_theta must be positive.");
        Require(NumLabels >= 0, "num_labels must not be negative.");
        return this;
    }

    /// <summary>Reads a Hugging Face <c>config.json</c>.</summary>
    public static ModelConfig Load(string path)
    {
        if (!File.Exists(path))
            throw BadInputException.About(path, "config.json not found.");
        var json = JsonFile.ParseNode(path) as JsonObject
            ?? throw BadInputException.About(path, "the config is not a JSON object.");
        return FromJson(json, path);
    }

    /// <summary>Builds the config from a parsed <c>config.json</c>; <paramref name="source"/> names it in errors.</summary>
    public static ModelConfig FromJson(JsonObject json, string source) => JsonFile.Interpret(source, () => Read(json, source));

    static ModelConfig Read(JsonObject json, string source)
    {
        string type = Get<string>(json, "model_type", source, required: true)!;
        if (!SupportedTypes.Contains(type))
            throw BadInputException.About(source, $"model_type '{type}' is not supported (supported: {string.Join(", ", SupportedTypes)}).");
        int hidden = Get<int>(json, "hidden_size", source, required: true);
        int heads = Get<int>(json, "num_attention_heads", source, required: true);
        int? headDim = json["head_dim"] is null ? null : Get<int>(json, "head_dim", source);
        if (headDim is int d && heads > 0 && d != hidden / heads)
            throw BadInputException.About(source, $"head_dim {d} differs from hidden_size / num_attention_heads ({hidden / Math.Max(heads, 1)}); such models are not supported.");
        return new ModelConfig
        {
            ModelType = type,
            VocabSize = Get<int>(json, "vocab_size", source, required: true),
            HiddenSize = hidden,
            IntermediateSize = Get<int>(json, "intermediate_size", source, required: true),
            NumHiddenLayers = Get<int>(json, "num_hidden_layers", source, required: true),
            NumAttentionHeads = heads,
            NumKeyValueHeads = json["num_key_value_heads"] is null ? heads : Get<int>(json, "num_key_value_heads", source),
            MaxPositionEmbeddings = json["max_position_embeddings"] is null ? 2048 : Get<int>(json, "max_position_embeddings", source),
            RmsNormEps = json["rms_norm_eps"] is null ? 1e-6 : Get<double>(json, "rms_norm_eps", source),
            RopeTheta = json["rope_theta"] is null ? 10000.0 : Get<double>(json, "rope_theta", source),
            RopeScaling = ReadRopeScaling(json["rope_scaling"], source),
            TieWordEmbeddings = json["tie_word_embeddings"] is not null && Get<bool>(json, "tie_word_embeddings", source),
            AttentionBias = type == "qwen2" || (json["attention_bias"] is not null && Get<bool>(json, "attention_bias", source)),
            BosTokenId = json["bos_token_id"] is null ? null : Get<int>(json, "bos_token_id", source),
            EosTokenIds = ReadIds(json["eos_token_id"], source),
            PadTokenId = json["pad_token_id"] is null ? null : Get<int>(json, "pad_token_id", source),
            NumLabels = json["num_labels"] is null ? 0 : Get<int>(json, "num_labels", source),
            TorchDtype = json["torch_dtype"] is null ? "float32" : Get<string>(json, "torch_dtype", source)!,
        }.Validated(source);
    }

    /// <summary>Writes the fields transformers needs to open the model again.</summary>
    public JsonObject ToJson()
    {
        string architecture = (ModelType, NumLabels > 0) switch
        {
            ("qwen2", false) => "Qwen2ForCausalLM",
            ("qwen2", true) => "Qwen2ForSequenceClassification",
            ("mistral", false) => "MistralForCausalLM",
            ("mistral", true) => "MistralForSequenceClassification",
            (_, false) => "LlamaForCausalLM",
            (_, true) => "LlamaForSequenceClassification",
        };
        var json = new JsonObject
        {
            ["architectures"] = new JsonArray(architecture),
            ["model_type"] = ModelType,
            ["vocab_size"] = VocabSize,
            ["hidden_size"] = HiddenSize,
            ["intermediate_size"] = IntermediateSize,
            ["num_hidden_layers"] = NumHiddenLayers,
            ["num_attention_heads"] = NumAttentionHeads,
            ["num_key_value_heads"] = NumKeyValueHeads,
            ["head_dim"] = HeadDim,
            ["max_position_embeddings"] = MaxPositionEmbeddings,
            ["rms_norm_eps"] = RmsNormEps,
            ["rope_theta"] = RopeTheta,
            ["tie_word_embeddings"] = TieWordEmbeddings,
            ["hidden_act"] = "silu",
            ["torch_dtype"] = TorchDtype,
        };
        if (ModelType != "qwen2") json["attention_bias"] = AttentionBias;
        if (RopeScaling is { } s)
        {
            json["rope_scaling"] = new JsonObject
            {
                ["rope_type"] = "llama3",
                ["factor"] = s.Factor,
                ["low_freq_factor"] = s.LowFreqFactor,
                ["high_freq_factor"] = s.HighFreqFactor,
                ["original_max_position_embeddings"] = s.OriginalMaxPositionEmbeddings,
            };
        }
        if (BosTokenId is int bos) json["bos_token_id"] = bos;
        if (EosTokenIds.Count == 1) json["eos_token_id"] = EosTokenIds[0];
        else if (EosTokenIds.Count > 1) json["eos_token_id"] = new JsonArray(EosTokenIds.Select(id => (JsonNode)id).ToArray());
        if (PadTokenId is int pad) json["pad_token_id"] = pad;
        if (NumLabels > 0) json["num_labels"] = NumLabels;
        return json;
    }

    static RopeScaling? ReadRopeScaling(JsonNode? node, string source)
    {
        if (node is null) return null;
        if (node is not JsonObject scaling)
            throw BadInputException.About(source, "rope_scaling must be an object or null.");
        string kind = (scaling["rope_type"] ?? scaling["type"])?.GetValue<string>() ?? "";
        if (kind == "default") return null;
        if (kind != "llama3")
            throw BadInputException.About(source, $"rope_scaling type '{kind}' is not supported (supported: llama3).");
        return new RopeScaling(
            Get<double>(scaling, "factor", source, required: true),
            Get<double>(scaling, "low_freq_factor", source, required: true),
            Get<double>(scaling, "high_freq_factor", source, required: true),
            Get<int>(scaling, "original_max_position_embeddings", source, required: true));
    }

    static int[] ReadIds(JsonNode? node, string source) => node switch
    {
        null => [],
        JsonArray array => array.Select(item => item?.GetValue<int>() ?? throw BadInputException.About(source, "eos_token_id holds a null.")).ToArray(),
        _ => [Get<int>(node.Parent!.AsObject(), "eos_token_id", source)],
    };

    static T? Get<T>(JsonObject json, string field, string source, bool required = false)
    {
        JsonNode? node = json[field];
        if (node is null)
        {
            if (required) throw BadInputException.About(source, $"required field '{field}' is missing.");
            return default;
        }
        try
        {
            return node.GetValue<T>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw BadInputException.About(source, $"field '{field}' has the wrong type (expected {typeof(T).Name}, got {node.ToJsonString()}).");
        }
    }
}
