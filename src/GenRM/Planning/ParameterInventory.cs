using GenRM.Modeling;

namespace GenRM.Planning;

/// <summary>One parameter of the model: its state-dict name and shape.</summary>
public sealed record ParameterShape(string Name, long[] Shape)
{
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The module holding it (<c>q_proj</c>, <c>input_layernorm</c>, <c>lm_head</c>...).</summary>
    public string Module => Name.Split('.')[^2];

    /// <summary>A projection weight [out, in] of a decoder layer, where an adapter can go.</summary>
    public bool IsProjectionWeight => Shape.Length == 2 && Name.EndsWith(".weight", StringComparison.Ordinal) && PlanLora.Projections.Contains(Module);
}

/// <summary>
/// Every parameter a <see cref="LanguageModel"/> of a config holds, with the names and shapes of its
/// state dict, derived from the config alone (no weights): what the plan counts bytes of.
/// </summary>
public static class ParameterInventory
{
    public static IReadOnlyList<ParameterShape> Of(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        long h = config.HiddenSize, q = (long)config.NumAttentionHeads * config.HeadDim, kv = (long)config.NumKeyValueHeads * config.HeadDim, i = config.IntermediateSize;
        var list = new List<ParameterShape> { new("model.embed_tokens.weight", [config.VocabSize, h]) };
        void Linear(string prefix, long output, long input, bool bias)
        {
            list.Add(new($"{prefix}.weight", [output, input]));
            if (bias) list.Add(new($"{prefix}.bias", [output]));
        }
        for (int layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            string p = $"model.layers.{layer}";
            list.Add(new($"{p}.input_layernorm.weight", [h]));
            Linear($"{p}.self_attn.q_proj", q, h, config.AttentionBias);
            Linear($"{p}.self_attn.k_proj", kv, h, config.AttentionBias);
            Linear($"{p}.self_attn.v_proj", kv, h, config.AttentionBias);
            Linear($"{p}.self_attn.o_proj", h, q, config.AttentionOutputBias);
            if (config.QueryKeyNorm)
            {
                list.Add(new($"{p}.self_attn.q_norm.weight", [config.HeadDim]));
                list.Add(new($"{p}.self_attn.k_norm.weight", [config.HeadDim]));
            }
            list.Add(new($"{p}.post_attention_layernorm.weight", [h]));
            Linear($"{p}.mlp.gate_proj", i, h, config.MlpBias);
            Linear($"{p}.mlp.up_proj", i, h, config.MlpBias);
            Linear($"{p}.mlp.down_proj", h, i, config.MlpBias);
        }
        list.Add(new("model.norm.weight", [h]));
        if (!config.TieWordEmbeddings) list.Add(new("lm_head.weight", [config.VocabSize, h]));
        if (config.NumLabels > 0) list.Add(new("score.weight", [config.NumLabels, h]));
        return list;
    }

    /// <summary>Adapter parameters r·(in + out) summed over the targeted projection weights.</summary>
    public static long AdapterParameters(IEnumerable<ParameterShape> parameters, PlanLora lora)
    {
        ArgumentNullException.ThrowIfNull(lora);
        return parameters.Where(p => p.IsProjectionWeight && lora.Targets(p.Module)).Sum(p => lora.Rank * (p.Shape[0] + p.Shape[1]));
    }
}
