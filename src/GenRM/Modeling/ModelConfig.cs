using System.Text.Json;
using System.Text.Json.Nodes;
using GenRM.IO;

namespace GenRM.Modeling;

/// <summary>The rotary scalings implemented, by their <c>rope_type</c>.</summary>
public enum RopeScalingType
{
    /// <summary>Llama 3's: long wavelengths divided by the factor, short ones kept, the band between interpolated.</summary>
    Llama3,
    /// <summary>Positions divided by the factor (every frequency divided by it).</summary>
    Linear,
    /// <summary>Dynamic NTK: once a forward pass reaches past max_position_embeddings, the rotary base grows with its length.</summary>
    Dynamic,
}

/// <summary>
/// Rotary scaling (<c>rope_scaling</c>). The positional constructor is Llama 3's; <see cref="Linear"/>
/// and <see cref="Dynamic"/> need only the factor.
/// </summary>
public sealed record RopeScaling(double Factor, double LowFreqFactor, double HighFreqFactor, int OriginalMaxPositionEmbeddings)
{
    public RopeScalingType Type { get; init; } = RopeScalingType.Llama3;

    /// <summary>Linear scaling: positions divided by <paramref name="factor"/>.</summary>
    public static RopeScaling Linear(double factor) => new(factor, 0, 0, 0) { Type = RopeScalingType.Linear };

    /// <summary>Dynamic NTK scaling by <paramref name="factor"/> past max_position_embeddings.</summary>
    public static RopeScaling Dynamic(double factor) => new(factor, 0, 0, 0) { Type = RopeScalingType.Dynamic };

    /// <summary>The <c>rope_type</c> string transformers writes.</summary>
    public string TypeName => Type.ToString().ToLowerInvariant();
}

/// <summary>
/// The decoder's shape, read from and written to a Hugging Face <c>config.json</c>. One record for
/// the Llama family: <c>llama</c>, <c>mistral</c>, <c>qwen2</c> and <c>qwen3</c> (see
/// <see cref="ModelFamily"/> for what each reads). A field that would change the forward pass and
/// is not implemented is refused (<see cref="UnsupportedConfigFields"/>), never ignored.
/// </summary>
public sealed record ModelConfig
{
    readonly int? headDim;

    public string ModelType { get; init; } = "llama";
    public int VocabSize { get; init; }
    public int HiddenSize { get; init; }
    public int IntermediateSize { get; init; }
    public int NumHiddenLayers { get; init; }
    public int NumAttentionHeads { get; init; }
    public int NumKeyValueHeads { get; init; }
    /// <summary>Width of one attention head: <c>head_dim</c>, or hidden_size / num_attention_heads when unset.</summary>
    public int HeadDim { get => headDim ?? HiddenSize / Math.Max(NumAttentionHeads, 1); init => headDim = value; }
    public int MaxPositionEmbeddings { get; init; } = 2048;
    public double RmsNormEps { get; init; } = 1e-5;
    public double RopeTheta { get; init; } = 10000.0;
    public RopeScaling? RopeScaling { get; init; }
    public bool TieWordEmbeddings { get; init; }
    /// <summary>Bias on q_proj, k_proj and v_proj (Qwen2; Llama and Qwen3 with <c>attention_bias</c>).</summary>
    public bool AttentionBias { get; init; }
    /// <summary>Bias on o_proj (Llama and Qwen3 with <c>attention_bias</c>; never Qwen2).</summary>
    public bool AttentionOutputBias { get; init; }
    /// <summary>Bias on gate_proj, up_proj and down_proj (Llama's <c>mlp_bias</c>).</summary>
    public bool MlpBias { get; init; }
    /// <summary>
    /// Keys at least this many positions behind the query are masked (the query itself counts: each
    /// token sees <c>sliding_window</c> tokens), on the layers from <see cref="MaxWindowLayers"/> on;
    /// null: full attention everywhere.
    /// </summary>
    public int? SlidingWindow { get; init; }
    /// <summary>The first layer that uses <see cref="SlidingWindow"/> (qwen2/qwen3's <c>max_window_layers</c>; 0 for mistral).</summary>
    public int MaxWindowLayers { get; init; }
    public int? BosTokenId { get; init; }
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    public int? PadTokenId { get; init; }
    /// <summary>Width of the reward head (<c>score.weight</c>): 0 none, 1 Bradley-Terry, 2 pairwise classifier.</summary>
    public int NumLabels { get; init; }
    /// <summary>Weight dtype on disk, as Hugging Face names it (float32, bfloat16, float16).</summary>
    public string TorchDtype { get; init; } = "float32";

    /// <summary>What this model type reads and defaults.</summary>
    public ModelFamily Family => ModelFamily.Find(ModelType)
        ?? throw new BadInputException($"model_type '{ModelType}' is not supported (supported: {ModelFamily.Names}).");

    /// <summary>Per-head RMSNorm of queries and keys (<c>q_norm</c>, <c>k_norm</c>), as Qwen3 has.</summary>
    public bool QueryKeyNorm => Family.QueryKeyNorm;

    /// <summary>
    /// The longest sequence the model is built for: max_position_embeddings, unbounded with dynamic
    /// rope scaling, whose whole point is to reach past it.
    /// </summary>
    public int LongestSequence => RopeScaling?.Type == RopeScalingType.Dynamic ? int.MaxValue : MaxPositionEmbeddings;

    /// <summary>Whether layer <paramref name="layer"/> attends through the sliding window.</summary>
    public bool UsesSlidingWindow(int layer) => SlidingWindow is not null && layer >= MaxWindowLayers;

    /// <summary>Checks the numbers fit together and fit the family; throws <see cref="BadInputException"/> naming the field.</summary>
    public ModelConfig Validated(string source = "config")
    {
        void Require(bool ok, string problem)
        {
            if (!ok) throw BadInputException.About(source, problem);
        }
        ModelFamily? family = ModelFamily.Find(ModelType);
        Require(family is not null, $"model_type '{ModelType}' is not supported (supported: {ModelFamily.Names}).");
        Require(VocabSize > 0, "vocab_size must be positive.");
        Require(HiddenSize > 0, "hidden_size must be positive.");
        Require(IntermediateSize > 0, "intermediate_size must be positive.");
        Require(NumHiddenLayers > 0, "num_hidden_layers must be positive.");
        Require(NumAttentionHeads > 0, "num_attention_heads must be positive.");
        Require(headDim is not null || HiddenSize % NumAttentionHeads == 0, "hidden_size must be a multiple of num_attention_heads when head_dim is not given.");
        Require(HeadDim > 0 && HeadDim % 2 == 0, "head_dim must be positive and even for rotary embeddings.");
        Require(NumKeyValueHeads > 0 && NumAttentionHeads % NumKeyValueHeads == 0, "num_attention_heads must be a multiple of num_key_value_heads.");
        Require(MaxPositionEmbeddings > 0, "max_position_embeddings must be positive.");
        Require(RmsNormEps > 0 && RopeTheta > 0, "rms_norm_eps and rope_theta must be positive.");
        Require(RopeScaling is null || RopeScaling.Factor > 0, "rope_scaling factor must be positive.");
        Require(NumLabels >= 0, "num_labels must not be negative.");
        Require(SlidingWindow is null or > 0, "sliding_window must be positive.");
        Require(MaxWindowLayers >= 0, "max_window_layers must not be negative.");
        Require(family!.Window != SlidingWindowFields.None || SlidingWindow is null, $"{ModelType} has no sliding window.");
        Require(family.Window != SlidingWindowFields.EveryLayer || MaxWindowLayers == 0, $"{ModelType}'s sliding window covers every layer (max_window_layers 0).");
        Require(family.FixedProjectionBias is not bool fixedBias || (AttentionBias == fixedBias && !AttentionOutputBias),
            $"{ModelType} has {(family.FixedProjectionBias == true ? "a bias on q/k/v and none on o" : "no attention bias")}.");
        Require(!family.ReadsAttentionBias || AttentionBias == AttentionOutputBias, "attention_bias puts a bias on all of q, k, v and o or on none.");
        Require(family.ReadsMlpBias || !MlpBias, $"{ModelType} has no mlp_bias.");
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
        ModelFamily family = ModelFamily.Find(type)
            ?? throw BadInputException.About(source, $"model_type '{type}' is not supported (supported: {ModelFamily.Names}).");
        UnsupportedConfigFields.Refuse(json, source);
        int hidden = Get<int>(json, "hidden_size", source, required: true);
        int heads = Get<int>(json, "num_attention_heads", source, required: true);
        int layers = Get<int>(json, "num_hidden_layers", source, required: true);
        bool attentionBias = family.ReadsAttentionBias && Optional(json, "attention_bias", source, false);
        var (window, firstWindowLayer) = ReadSlidingWindow(json, family, layers, source);
        // transformers 5 writes rope_theta and the scaling together as rope_parameters.
        string ropeField = json.ContainsKey("rope_parameters") ? "rope_parameters" : "rope_scaling";
        JsonObject? rope = ReadObject(json, ropeField, source);
        int? explicitHeadDim = json["head_dim"] is null ? family.DefaultHeadDim : Get<int>(json, "head_dim", source);
        var config = new ModelConfig
        {
            ModelType = type,
            VocabSize = Get<int>(json, "vocab_size", source, required: true),
            HiddenSize = hidden,
            IntermediateSize = Get<int>(json, "intermediate_size", source, required: true),
            NumHiddenLayers = layers,
            NumAttentionHeads = heads,
            NumKeyValueHeads = Optional(json, "num_key_value_heads", source, family.DefaultKeyValueHeads ?? heads),
            MaxPositionEmbeddings = Optional(json, "max_position_embeddings", source, family.DefaultMaxPositionEmbeddings),
            RmsNormEps = Optional(json, "rms_norm_eps", source, 1e-6),
            RopeTheta = rope?["rope_theta"] is not null ? Get<double>(rope, "rope_theta", source) : Optional(json, "rope_theta", source, 10000.0),
            RopeScaling = ReadRopeScaling(rope, ropeField, source),
            TieWordEmbeddings = Optional(json, "tie_word_embeddings", source, false),
            AttentionBias = family.FixedProjectionBias ?? attentionBias,
            AttentionOutputBias = attentionBias,
            MlpBias = family.ReadsMlpBias && Optional(json, "mlp_bias", source, false),
            SlidingWindow = window,
            MaxWindowLayers = firstWindowLayer,
            BosTokenId = json["bos_token_id"] is null ? null : Get<int>(json, "bos_token_id", source),
            EosTokenIds = ReadIds(json["eos_token_id"], source),
            PadTokenId = json["pad_token_id"] is null ? null : Get<int>(json, "pad_token_id", source),
            NumLabels = Optional(json, "num_labels", source, 0),
            TorchDtype = Optional(json, "torch_dtype", source, "float32"),
        };
        return (explicitHeadDim is int d ? config with { HeadDim = d } : config).Validated(source);
    }

    // transformers tells "sliding_window": null (no window) from an absent field (the family's 4096).
    static (int? Window, int FirstLayer) ReadSlidingWindow(JsonObject json, ModelFamily family, int layers, string source)
    {
        if (family.Window == SlidingWindowFields.None)
            return (null, 0);
        int? size = !json.ContainsKey("sliding_window") ? ModelFamily.DefaultSlidingWindow
            : json["sliding_window"] is null ? null : Get<int>(json, "sliding_window", source);
        if (family.Window == SlidingWindowFields.EveryLayer)
            return (size, 0);
        int? window = Optional(json, "use_sliding_window", source, false) ? size : null;
        int first = Optional(json, "max_window_layers", source, ModelFamily.DefaultMaxWindowLayers);
        if (json["layer_types"] is null)
            return (window, first);
        // layer_types, when given, decides which layers slide (transformers derives it from max_window_layers otherwise).
        if (json["layer_types"] is not JsonArray types || types.Count != layers)
            throw BadInputException.About(source, $"field 'layer_types' must list one type for each of the {layers} layers.");
        string[] names = [.. types.Select(t => t?.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : t?.ToJsonString() ?? "null")];
        string? unknown = names.FirstOrDefault(n => n is not (FullAttention or SlidingAttention));
        if (unknown is not null)
            throw BadInputException.About(source, $"field 'layer_types' has '{unknown}': only '{FullAttention}' and '{SlidingAttention}' are implemented.");
        int firstSliding = Array.IndexOf(names, SlidingAttention) is int i and >= 0 ? i : layers;
        // Without a window every layer attends fully, whatever its type says.
        if (window is not null && names.Skip(firstSliding).Any(n => n != SlidingAttention))
            throw BadInputException.About(source, $"field 'layer_types' interleaves full and sliding layers; only full layers followed by sliding ones (as max_window_layers gives) are implemented.");
        return (window, firstSliding);
    }

    const string FullAttention = "full_attention", SlidingAttention = "sliding_attention";

    /// <summary>Writes the fields transformers needs to open the model again.</summary>
    public JsonObject ToJson()
    {
        ModelFamily family = Family;
        string architecture = family.ArchitecturePrefix + (NumLabels > 0 ? "ForSequenceClassification" : "ForCausalLM");
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
        if (family.ReadsAttentionBias) json["attention_bias"] = AttentionBias;
        if (family.ReadsMlpBias) json["mlp_bias"] = MlpBias;
        if (family.Window == SlidingWindowFields.EveryLayer)
            json["sliding_window"] = SlidingWindow;
        else if (family.Window == SlidingWindowFields.FromMaxWindowLayers)
        {
            json["use_sliding_window"] = SlidingWindow is not null;
            json["sliding_window"] = SlidingWindow;
            json["max_window_layers"] = MaxWindowLayers;
        }
        if (RopeScaling is { } s)
        {
            var scaling = new JsonObject { ["rope_type"] = s.TypeName, ["factor"] = s.Factor };
            if (s.Type == RopeScalingType.Llama3)
            {
                scaling["low_freq_factor"] = s.LowFreqFactor;
                scaling["high_freq_factor"] = s.HighFreqFactor;
                scaling["original_max_position_embeddings"] = s.OriginalMaxPositionEmbeddings;
            }
            json["rope_scaling"] = scaling;
        }
        if (BosTokenId is int bos) json["bos_token_id"] = bos;
        if (EosTokenIds.Count == 1) json["eos_token_id"] = EosTokenIds[0];
        else if (EosTokenIds.Count > 1) json["eos_token_id"] = new JsonArray(EosTokenIds.Select(id => (JsonNode)id).ToArray());
        if (PadTokenId is int pad) json["pad_token_id"] = pad;
        if (NumLabels > 0) json["num_labels"] = NumLabels;
        return json;
    }

    static readonly Dictionary<string, RopeScalingType> RopeTypes = Enum.GetValues<RopeScalingType>().ToDictionary(t => t.ToString().ToLowerInvariant());

    static RopeScaling? ReadRopeScaling(JsonObject? scaling, string field, string source)
    {
        if (scaling is null) return null;
        string kind = (scaling["rope_type"] ?? scaling["type"])?.GetValue<string>() ?? "default";
        if (kind == "default") return null;
        if (!RopeTypes.TryGetValue(kind, out RopeScalingType type))
            throw BadInputException.About(source, $"field '{field}' has rope_type '{kind}', which is not implemented (implemented: default, {string.Join(", ", RopeTypes.Keys)}).");
        double factor = Get<double>(scaling, "factor", source, required: true);
        return type switch
        {
            RopeScalingType.Linear => RopeScaling.Linear(factor),
            RopeScalingType.Dynamic => RopeScaling.Dynamic(factor),
            _ => new RopeScaling(factor,
                Get<double>(scaling, "low_freq_factor", source, required: true),
                Get<double>(scaling, "high_freq_factor", source, required: true),
                Get<int>(scaling, "original_max_position_embeddings", source, required: true)),
        };
    }

    static JsonObject? ReadObject(JsonObject json, string field, string source) => json[field] switch
    {
        null => null,
        JsonObject value => value,
        _ => throw BadInputException.About(source, $"field '{field}' must be an object or null."),
    };

    static T Optional<T>(JsonObject json, string field, string source, T fallback) =>
        json[field] is null ? fallback : Get<T>(json, field, source)!;

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
