using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GenRM.Modeling;

/// <summary>
/// The decoder stack (<c>model</c> in the state dict): token embeddings, the layers, the final
/// norm. Positions and masks come from the attention mask, so a left-padded row sees the same
/// positions as the same sequence alone.
/// </summary>
public sealed class LlamaModel : nn.Module
{
    readonly RotaryEmbedding rotary;

    [ComponentName(Name = "embed_tokens")]
    internal readonly Embedding EmbedTokens;
    [ComponentName(Name = "layers")]
    readonly ModuleList<LlamaDecoderLayer> layers;
    [ComponentName(Name = "norm")]
    readonly RmsNorm norm;

    public LlamaModel(ModelConfig config, Device? device = null) : base(nameof(LlamaModel))
    {
        rotary = new RotaryEmbedding(config);
        // On the meta device the table comes from an empty tensor: nn.Embedding itself would first fill
        // one on the CPU, which is gigabytes for a large vocabulary.
        EmbedTokens = device is null
            ? nn.Embedding(config.VocabSize, config.HiddenSize)
            : nn.Embedding_from_pretrained(empty(config.VocabSize, config.HiddenSize, device: device), freeze: false);
        layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(i => new LlamaDecoderLayer(config, i, device)).ToArray());
        norm = new RmsNorm(config.HiddenSize, config.RmsNormEps, device);
        RegisterComponents();
    }

    /// <summary>
    /// Final hidden states [batch, time, hidden] for <paramref name="inputIds"/> [batch, time].
    /// <paramref name="attentionMask"/> [batch, time] has 1 for tokens and 0 for padding (left or
    /// right); with a <paramref name="cache"/>, the new tokens follow the cached ones.
    /// </summary>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        Tensor hidden = EmbedTokens.forward(inputIds);
        AttentionContext context = BuildContext(inputIds, attentionMask, cache, hidden.dtype);
        foreach (LlamaDecoderLayer layer in layers)
            hidden = layer.Forward(hidden, context);
        cache?.Advance((int)inputIds.shape[1]);
        return norm.forward(hidden).MoveToOuterDisposeScope();
    }

    AttentionContext BuildContext(Tensor inputIds, Tensor? attentionMask, KvCache? cache, ScalarType dtype)
    {
        long batch = inputIds.shape[0], time = inputIds.shape[1];
        Device device = inputIds.device;
        int past = cache?.Length ?? 0;
        Tensor newMask = attentionMask ?? ones(batch, time, dtype: ScalarType.Int64, device: device);
        Tensor keyMask = cache is null ? newMask : cache.Extend(newMask);

        // Explicit Scalars, alive for every call below: an implicitly converted one can be finalized
        // while libtorch still reads it.
        using Scalar one = 1.ToScalar(), zero = 0.ToScalar();
        // Fast path: nothing padded on the left and no earlier chunk, so plain causal attention
        // (is_causal, no mask tensor) is exact; right padding only follows the real tokens.
        bool leftPadded = keyMask.select(1, 0).eq(zero).any().item<bool>();
        if (!leftPadded && (past == 0 || time == 1))
        {
            Tensor positions = arange(past, past + time, device: device).unsqueeze(0).expand(batch, time);
            var (cos, sin) = rotary.Tables(positions, dtype);
            return new AttentionContext(cos, sin, null, cache);
        }

        Tensor allPositions = (keyMask.cumsum(1) - one).clamp_min(zero);
        var (cosTable, sinTable) = rotary.Tables(allPositions.narrow(1, past, time), dtype);
        long keys = past + time;
        Tensor causal = arange(keys, device: device).unsqueeze(0) <= arange(past, past + time, device: device).unsqueeze(1);
        Tensor allowed = causal.unsqueeze(0).logical_and(keyMask.to(ScalarType.Bool).unsqueeze(1)).unsqueeze(1);
        // A large finite negative rather than -inf: a padding query row whose keys are all masked
        // then gets a uniform (ignored) softmax instead of NaN.
        // The fill value is a 0-dim tensor, not a Scalar: a default run once failed inside masked_fill
        // with a Scalar whose tag libtorch did not recognise (c10 Scalar::toFloat).
        Tensor mask = where(allowed, zeros(1, dtype, device), tensor(new[] { (float)finfo(dtype).min }, device: device).to(dtype));
        return new AttentionContext(cosTable, sinTable, mask, cache);
    }
}
