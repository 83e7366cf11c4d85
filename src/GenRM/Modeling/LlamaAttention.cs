using GenRM.Modeling.Lora;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GenRM.Modeling;

/// <summary>
/// Grouped-query self-attention with rotary embeddings (<c>self_attn</c> in the state dict): heads of
/// <c>head_dim</c>, biases as the config says, Qwen3's per-head RMSNorm of queries and keys
/// (<c>q_norm</c>, <c>k_norm</c>) before rotary, and the sliding window on the layers that have it.
/// </summary>
public sealed class LlamaAttention : nn.Module
{
    readonly int heads;
    readonly int keyValueHeads;
    readonly int headDim;
    readonly int layerIndex;
    readonly int? slidingWindow;
    [ComponentName(Name = "q_proj")]
    readonly Linear qProj;
    [ComponentName(Name = "k_proj")]
    readonly Linear kProj;
    [ComponentName(Name = "v_proj")]
    readonly Linear vProj;
    [ComponentName(Name = "o_proj")]
    readonly Linear oProj;
    [ComponentName(Name = "q_norm")]
    readonly RmsNorm? qNorm;
    [ComponentName(Name = "k_norm")]
    readonly RmsNorm? kNorm;

    public LlamaAttention(ModelConfig config, int layerIndex, Device? device = null) : base(nameof(LlamaAttention))
    {
        heads = config.NumAttentionHeads;
        keyValueHeads = config.NumKeyValueHeads;
        headDim = config.HeadDim;
        this.layerIndex = layerIndex;
        slidingWindow = config.UsesSlidingWindow(layerIndex) ? config.SlidingWindow : null;
        qProj = nn.Linear(config.HiddenSize, heads * headDim, hasBias: config.AttentionBias, device: device);
        kProj = nn.Linear(config.HiddenSize, keyValueHeads * headDim, hasBias: config.AttentionBias, device: device);
        vProj = nn.Linear(config.HiddenSize, keyValueHeads * headDim, hasBias: config.AttentionBias, device: device);
        oProj = nn.Linear(heads * headDim, config.HiddenSize, hasBias: config.AttentionOutputBias, device: device);
        if (config.QueryKeyNorm)
        {
            qNorm = new RmsNorm(headDim, config.RmsNormEps, device);
            kNorm = new RmsNorm(headDim, config.RmsNormEps, device);
        }
        RegisterComponents();
        Projections = new AdaptableProjections(("q_proj", qProj), ("k_proj", kProj), ("v_proj", vProj), ("o_proj", oProj));
    }

    /// <summary>The projections LoRA can adapt, and their adapters.</summary>
    internal AdaptableProjections Projections { get; }

    public Tensor Forward(Tensor hidden, AttentionContext context)
    {
        using var scope = NewDisposeScope();
        long batch = hidden.shape[0], time = hidden.shape[1];
        Tensor q = Projections.Apply("q_proj", qProj, hidden).view(batch, time, heads, headDim);
        Tensor k = Projections.Apply("k_proj", kProj, hidden).view(batch, time, keyValueHeads, headDim);
        if (qNorm is not null && kNorm is not null)
            (q, k) = (qNorm.forward(q), kNorm.forward(k));
        q = q.transpose(1, 2);
        k = k.transpose(1, 2);
        Tensor v = Projections.Apply("v_proj", vProj, hidden).view(batch, time, keyValueHeads, headDim).transpose(1, 2);
        q = RotaryEmbedding.Apply(q, context.Cos, context.Sin);
        k = RotaryEmbedding.Apply(k, context.Cos, context.Sin);
        if (context.Cache is { } cache)
        {
            (k, v) = cache.Append(layerIndex, k, v);
            if (cache.Prompts is { } prompts)
                return Output(prompts.Attend(layerIndex, q, k, v, context.Mask!), batch, time).MoveToOuterDisposeScope();
        }
        Tensor? mask = context.MaskFor(slidingWindow is not null);
        if (slidingWindow is int window && k.shape[2] > window + time - 1)
        {
            // Keys before the first query's window are masked for every query: reading only the
            // rest keeps a decoding step's work at the window, however long the cache.
            long keep = window + time - 1, start = k.shape[2] - keep;
            (k, v, mask) = (k.narrow(2, start, keep), v.narrow(2, start, keep), mask!.narrow(3, start, keep));
        }
        k = RepeatKeyValueHeads(k);
        v = RepeatKeyValueHeads(v);
        Tensor attended = mask is null
            ? nn.functional.scaled_dot_product_attention(q, k, v, is_casual: time > 1)
            : nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: mask);
        return Output(attended, batch, time).MoveToOuterDisposeScope();
    }

    /// <summary>The heads' outputs [batch, heads, time, head_dim] merged and projected back to the hidden size.</summary>
    Tensor Output(Tensor attended, long batch, long time) =>
        Projections.Apply("o_proj", oProj, attended.transpose(1, 2).reshape(batch, time, heads * headDim));

    /// <summary>Each key/value head serves heads / kv_heads consecutive query heads (transformers' repeat_kv).</summary>
    Tensor RepeatKeyValueHeads(Tensor x)
    {
        int groups = heads / keyValueHeads;
        if (groups == 1) return x;
        long batch = x.shape[0], length = x.shape[2];
        return x.unsqueeze(2).expand(batch, keyValueHeads, groups, length, headDim).reshape(batch, heads, length, headDim);
    }
}
