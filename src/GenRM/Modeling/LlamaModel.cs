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
    readonly int? slidingWindow;

    [ComponentName(Name = "embed_tokens")]
    internal readonly Embedding EmbedTokens;
    [ComponentName(Name = "layers")]
    readonly ModuleList<LlamaDecoderLayer> layers;
    [ComponentName(Name = "norm")]
    readonly RmsNorm norm;

    public LlamaModel(ModelConfig config, Device? device = null) : base(nameof(LlamaModel))
    {
        rotary = new RotaryEmbedding(config);
        slidingWindow = Enumerable.Range(0, config.NumHiddenLayers).Any(config.UsesSlidingWindow) ? config.SlidingWindow : null;
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
    /// Recompute each layer's activations in the backward pass instead of keeping them
    /// (<see cref="CheckpointedLayer"/>); applies to passes that build a graph, without a cache.
    /// </summary>
    internal bool CheckpointLayers { get; set; }

    /// <summary>The attention and MLP blocks of every layer with their state-dict paths, for LoRA.</summary>
    internal IEnumerable<(string Path, Lora.AdaptableProjections Projections)> AdaptableModules(string prefix) =>
        layers.SelectMany((layer, i) => layer.AdaptableModules($"{prefix}layers.{i}."));

    /// <summary>
    /// Final hidden states [batch, time, hidden] for <paramref name="inputIds"/> [batch, time].
    /// <paramref name="attentionMask"/> [batch, time] has 1 for tokens and 0 for padding (left or
    /// right); with a <paramref name="cache"/>, the new tokens follow the cached ones.
    /// </summary>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        Tensor hidden = EmbedTokens.forward(inputIds);
        hidden = Layers(hidden, BuildContext(inputIds, attentionMask, cache, hidden.dtype));
        cache?.Advance((int)inputIds.shape[1]);
        return norm.forward(hidden).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Final hidden states [batch, time, hidden] for packed rows, where several sequences share a
    /// prefix: token t of row b sits at <paramref name="positions"/>[b, t] and attends to the keys
    /// <paramref name="allowed"/>[b, t, ·] marks (bool [batch, time, time]). No cache; not for models
    /// with sliding-window layers (<see cref="SharedPrompts.Supports"/>), whose window counts positions in the row.
    /// </summary>
    public Tensor ForwardPacked(Tensor inputIds, Tensor positions, Tensor allowed)
    {
        if (slidingWindow is not null)
            throw new InvalidOperationException("Packed rows cannot be read by a model with sliding-window layers: the window would count the other branches' tokens.");
        using var scope = NewDisposeScope();
        Tensor hidden = EmbedTokens.forward(inputIds);
        var (cos, sin) = rotary.Tables(positions, hidden.dtype);
        Tensor mask = Additive(allowed.unsqueeze(1), hidden.dtype);
        hidden = Layers(hidden, new AttentionContext(cos, sin, mask, mask, null));
        return norm.forward(hidden).MoveToOuterDisposeScope();
    }

    Tensor Layers(Tensor hidden, AttentionContext context)
    {
        bool checkpoint = CheckpointLayers && context.Cache is null && is_grad_enabled();
        foreach (LlamaDecoderLayer layer in layers)
            hidden = checkpoint ? CheckpointedLayer.Run(layer, hidden, context) : layer.Forward(hidden, context);
        return hidden;
    }

    AttentionContext BuildContext(Tensor inputIds, Tensor? attentionMask, KvCache? cache, ScalarType dtype)
    {
        long batch = inputIds.shape[0], time = inputIds.shape[1];
        Device device = inputIds.device;
        int past = cache?.Length ?? 0;
        long keys = past + time;
        Tensor newMask = attentionMask ?? ones(batch, time, dtype: ScalarType.Int64, device: device);
        Tensor keyMask = cache is null ? newMask : cache.Extend(newMask);
        if (cache?.Prompts is not null)
            return SharedPromptContext(cache, keyMask, past, time, dtype);

        // Explicit Scalars, alive for every call below: an implicitly converted one can be finalized
        // while libtorch still reads it.
        using Scalar one = 1.ToScalar(), zero = 0.ToScalar();
        // Fast path: nothing padded on the left and no earlier chunk, so plain causal attention
        // (is_causal, no mask tensor) is exact; right padding only follows the real tokens.
        bool leftPadded = keyMask.select(1, 0).eq(zero).any().item<bool>();
        bool plainCausal = !leftPadded && (past == 0 || time == 1);
        Tensor positions = plainCausal
            ? arange(past, keys, device: device).unsqueeze(0).expand(batch, time)
            : (keyMask.cumsum(1) - one).clamp_min(zero).narrow(1, past, time);
        var (cos, sin) = rotary.Tables(positions, dtype);

        Tensor? mask = plainCausal ? null : AdditiveMask(keyMask, past, time, window: null, dtype);
        // The window binds once the last query has a key more than window - 1 positions back.
        Tensor? windowMask = slidingWindow is int window && keys > window ? AdditiveMask(keyMask, past, time, window, dtype) : mask;
        return new AttentionContext(cos, sin, mask, windowMask, cache);
    }

    /// <summary>
    /// The context of tokens that follow shared prompts: positions count on from each row's prompt,
    /// and each query sees its prompt (less padding) and the row's own tokens up to itself.
    /// </summary>
    AttentionContext SharedPromptContext(KvCache cache, Tensor ownMask, int past, long time, ScalarType dtype)
    {
        SharedPrompts prompts = cache.Prompts!;
        using Scalar one = 1.ToScalar(), zero = 0.ToScalar();
        Tensor positions = prompts.RowPromptLengths.unsqueeze(1).add((ownMask.cumsum(1) - one).clamp_min(zero).narrow(1, past, time), Scalars.One);
        var (cos, sin) = rotary.Tables(positions, dtype);
        Tensor promptMask = prompts.RowMask;
        Tensor mask = cat([promptMask.expand(promptMask.shape[0], 1, time, promptMask.shape[3]), AdditiveMask(ownMask, past, time, window: null, dtype)], 3);
        return new AttentionContext(cos, sin, mask, mask, cache);
    }

    /// <summary>
    /// [batch, 1, time, keys] additive mask: query t (at index past + t) sees key j when j ≤ past + t,
    /// the key is not padding, and, with a <paramref name="window"/>, j &gt; past + t − window (the
    /// window counts the query itself, as transformers' sliding-window mask does). Indices count
    /// padding, as transformers' cache positions do; with left padding that is the same distance.
    /// </summary>
    static Tensor AdditiveMask(Tensor keyMask, int past, long time, int? window, ScalarType dtype)
    {
        Device device = keyMask.device;
        long keys = past + time;
        Tensor keyIndex = arange(keys, device: device).unsqueeze(0);
        Tensor queryIndex = arange(past, keys, device: device).unsqueeze(1);
        Tensor allowed = keyIndex <= queryIndex;
        if (window is int w)
        {
            using Scalar size = w.ToScalar();
            allowed = allowed.logical_and(keyIndex > queryIndex - size);
        }
        return Additive(allowed.unsqueeze(0).logical_and(keyMask.to(ScalarType.Bool).unsqueeze(1)).unsqueeze(1), dtype);
    }

    /// <summary>0 where <paramref name="allowed"/> is true, the dtype's lowest finite value elsewhere.</summary>
    internal static Tensor Additive(Tensor allowed, ScalarType dtype)
    {
        Device device = allowed.device;
        // A large finite negative rather than -inf: a padding query row whose keys are all masked
        // then gets a uniform (ignored) softmax instead of NaN.
        // The fill value is a 0-dim tensor, not a Scalar: a default run once failed inside masked_fill
        // with a Scalar whose tag libtorch did not recognise (c10 Scalar::toFloat).
        return where(allowed, zeros(1, dtype, device), tensor(new[] { (float)finfo(dtype).min }, device: device).to(dtype));
    }
}
