namespace GenRM.Modeling;

/// <summary>How a family marks its sliding-window layers in <c>config.json</c>.</summary>
public enum SlidingWindowFields
{
    /// <summary>No sliding window (llama): the fields are not read, as transformers does not read them.</summary>
    None,
    /// <summary><c>sliding_window</c> (default 4096, null for none) on every layer (mistral).</summary>
    EveryLayer,
    /// <summary><c>use_sliding_window</c> (default false) switches on <c>sliding_window</c> (default 4096) for the layers from <c>max_window_layers</c> (default 28) on, or as <c>layer_types</c> lists them (qwen2, qwen3).</summary>
    FromMaxWindowLayers,
}

/// <summary>
/// What one <c>model_type</c> reads from <c>config.json</c> and defaults when a field is absent, as
/// its transformers configuration and modeling code do: one row per family, so the reader and the
/// writer follow the same table.
/// </summary>
/// <param name="ModelType">The <c>model_type</c> string.</param>
/// <param name="ArchitecturePrefix">Prefix of the <c>architectures</c> entry (<c>LlamaForCausalLM</c> ...).</param>
/// <param name="FixedProjectionBias">Bias on q/k/v fixed by the architecture (qwen2 true, mistral false), or null when <c>attention_bias</c> decides it for all four projections.</param>
/// <param name="ReadsMlpBias">Whether <c>mlp_bias</c> puts a bias on gate/up/down (llama).</param>
/// <param name="QueryKeyNorm">Per-head RMSNorm of queries and keys before rotary (<c>q_norm</c>, <c>k_norm</c>: qwen3).</param>
/// <param name="Window">Which sliding-window fields the family reads.</param>
/// <param name="DefaultKeyValueHeads">num_key_value_heads when absent; null: num_attention_heads.</param>
/// <param name="DefaultHeadDim">head_dim when absent; null: hidden_size / num_attention_heads.</param>
/// <param name="DefaultMaxPositionEmbeddings">max_position_embeddings when absent.</param>
public sealed record ModelFamily(
    string ModelType,
    string ArchitecturePrefix,
    bool? FixedProjectionBias,
    bool ReadsMlpBias,
    bool QueryKeyNorm,
    SlidingWindowFields Window,
    int? DefaultKeyValueHeads,
    int? DefaultHeadDim,
    int DefaultMaxPositionEmbeddings)
{
    /// <summary>The window transformers assumes when <c>sliding_window</c> is absent.</summary>
    public const int DefaultSlidingWindow = 4096;

    /// <summary>qwen2/qwen3's <c>max_window_layers</c> when absent.</summary>
    public const int DefaultMaxWindowLayers = 28;

    // Defaults from transformers' LlamaConfig, MistralConfig, Qwen2Config and Qwen3Config.
    public static readonly IReadOnlyList<ModelFamily> Supported =
    [
        new("llama", "Llama", FixedProjectionBias: null, ReadsMlpBias: true, QueryKeyNorm: false, SlidingWindowFields.None, null, null, 2048),
        new("mistral", "Mistral", FixedProjectionBias: false, ReadsMlpBias: false, QueryKeyNorm: false, SlidingWindowFields.EveryLayer, 8, null, 4096 * 32),
        new("qwen2", "Qwen2", FixedProjectionBias: true, ReadsMlpBias: false, QueryKeyNorm: false, SlidingWindowFields.FromMaxWindowLayers, 32, null, 32768),
        new("qwen3", "Qwen3", FixedProjectionBias: null, ReadsMlpBias: false, QueryKeyNorm: true, SlidingWindowFields.FromMaxWindowLayers, 32, 128, 32768),
    ];

    /// <summary>The family of <paramref name="modelType"/>, or null when it is not supported.</summary>
    public static ModelFamily? Find(string modelType) => Supported.FirstOrDefault(f => f.ModelType == modelType);

    /// <summary>The supported model types, for error messages.</summary>
    public static string Names => string.Join(", ", Supported.Select(f => f.ModelType));

    /// <summary>Whether <c>attention_bias</c> is read (and then puts a bias on q, k, v and o).</summary>
    public bool ReadsAttentionBias => FixedProjectionBias is null;
}
