using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GenRM.Modeling;

/// <summary>Grouped-query self-attention with rotary embeddings (<c>self_attn</c> in the state dict).</summary>
public sealed class LlamaAttention : nn.Module
{
    readonly int heads;
    readonly int keyValueHeads;
    readonly int headDim;
    readonly int layerIndex;
    [ComponentName(Name = "q_proj")]
    readonly Linear qProj;
    [ComponentName(Name = "k_proj")]
    readonly Linear kProj;
    [ComponentName(Name = "v_proj")]
    readonly Linear vProj;
    [ComponentName(Name = "o_proj")]
    readonly Linear oProj;

    public LlamaAttention(ModelConfig config, int layerIndex, Device? device = null) : base(nameof(LlamaAttention))
    {
        heads = config.NumAttentionHeads;
        keyValueHeads = config.NumKeyValueHeads;
        headDim = config.HeadDim;
        this.layerIndex = layerIndex;
        qProj = nn.Linear(config.HiddenSize, heads * headDim, hasBias: config.AttentionBias, device: device);
        kProj = nn.Linear(config.HiddenSize, keyValueHeads * headDim, hasBias: config.AttentionBias, device: device);
        vProj = nn.Linear(config.HiddenSize, keyValueHeads * headDim, hasBias: config.AttentionBias, device: device);
        oProj = nn.Linear(heads * headDim, config.HiddenSize, hasBias: false, device: device);
        RegisterComponents();
    }

    public Tensor Forward(Tensor hidden, AttentionContext context)
    {
        using var scope = NewDisposeScope();
        long batch = hidden.shape[0], time = hidden.shape[1];
        Tensor q = qProj.forward(hidden).view(batch, time, heads, headDim).transpose(1, 2);
        Tensor k = kProj.forward(hidden).view(batch, time, keyValueHeads, headDim).transpose(1, 2);
        Tensor v = vProj.forward(hidden).view(batch, time, keyValueHeads, headDim).transpose(1, 2);
        q = RotaryEmbedding.Apply(q, context.Cos, context.Sin);
        k = RotaryEmbedding.Apply(k, context.Cos, context.Sin);
        if (context.Cache is { } cache)
            (k, v) = cache.Append(layerIndex, k, v);
        k = RepeatKeyValueHeads(k);
        v = RepeatKeyValueHeads(v);
        Tensor attended = context.Mask is null
            ? nn.functional.scaled_dot_product_attention(q, k, v, is_casual: time > 1)
            : nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: context.Mask);
        Tensor merged = attended.transpose(1, 2).reshape(batch, time, heads * headDim);
        return oProj.forward(merged).MoveToOuterDisposeScope();
    }

    /// <summary>Each key/value head serves heads / kv_heads consecutive query heads (transformers' repeat_kv).</summary>
    Tensor RepeatKeyValueHeads(Tensor x)
    {
        int groups = heads / keyValueHeads;
        if (groups == 1) return x;
        long batch = x.shape[0], length = x.shape[2];
        return x.unsqueeze(2).expand(batch, keyValueHeads, groups, length, headDim).reshape(batch, heads, length, headDim);
    }
}
