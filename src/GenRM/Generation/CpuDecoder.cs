using GenRM.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRM.Generation;

/// <summary>
/// The weights of a small fp32 Llama-family model laid out for decoding steps computed in managed
/// code on the CPU (<see cref="CpuDecodingBatch"/>). A decoding step of such a model is a few dozen
/// products of a few dozen rows each: through libtorch, a step's time went to its BLAS re-packing the
/// weights on every call and to batched matrix-vector products for attention, not to arithmetic.
/// Here the weights are packed once (q/k/v and gate/up fused) and a step's only native call hands
/// its logits to the sampler.
/// </summary>
/// <remarks>
/// The prompt is still read by the model itself (one large batched forward pass); only the steps that
/// follow run here. The results equal libtorch's up to the order of floating-point sums.
/// </remarks>
internal sealed class CpuDecoder
{
    /// <summary>Above this hidden size libtorch's BLAS amortises its packing and is the better path.</summary>
    const int LargestHiddenSize = 512;

    internal sealed record LayerWeights(float[] InputNorm, PackedLinear Qkv, PackedLinear Output, float[] PostNorm, PackedLinear GateUp, PackedLinear Down);

    public ModelConfig Config { get; }
    public float[] Embeddings { get; }
    public LayerWeights[] Layers { get; }
    public float[] FinalNorm { get; }
    public PackedLinear Head { get; }
    public float[] InverseFrequencies { get; }

    CpuDecoder(ModelConfig config, float[] embeddings, LayerWeights[] layers, float[] finalNorm, PackedLinear head, float[] inverseFrequencies) =>
        (Config, Embeddings, Layers, FinalNorm, Head, InverseFrequencies) = (config, embeddings, layers, finalNorm, head, inverseFrequencies);

    /// <summary>
    /// Whether <paramref name="model"/>'s decoding steps run here: fp32 on the CPU, no LoRA adapters,
    /// and an architecture <see cref="Covers"/>.
    /// </summary>
    public static bool Supports(LanguageModel model) =>
        model.Device.type == DeviceType.CPU && model.DType == ScalarType.Float32 && model.Lora is null && Covers(model.Config);

    /// <summary>
    /// Whether the steps of a model of <paramref name="config"/> can run here: full attention with
    /// fixed rotary frequencies, no q/k norm, head_dim a multiple of 8, and a small hidden size.
    /// </summary>
    public static bool Covers(ModelConfig config) =>
        !config.QueryKeyNorm && SharedPrompts.Supports(config) && config.RopeScaling?.Type != RopeScalingType.Dynamic
        && config.HeadDim % 8 == 0 && config.HiddenSize <= LargestHiddenSize;

    /// <summary>Copies and packs <paramref name="model"/>'s weights (it must be <see cref="Supports"/>ed).</summary>
    public static CpuDecoder From(LanguageModel model)
    {
        if (!Supports(model)) throw new ArgumentException("the model's decoding steps cannot run in managed code.", nameof(model));
        ModelConfig c = model.Config;
        var state = model.state_dict();
        Tensor Get(string name) => state[name];
        Tensor? Optional(string name) => state.TryGetValue(name, out Tensor? t) ? t : null;
        var layers = new LayerWeights[c.NumHiddenLayers];
        for (int i = 0; i < layers.Length; i++)
        {
            string p = $"model.layers.{i}.";
            (Tensor, Tensor?) Linear(string name) => (Get($"{p}{name}.weight"), Optional($"{p}{name}.bias"));
            layers[i] = new LayerWeights(
                PackedLinear.Floats(Get($"{p}input_layernorm.weight")),
                PackedLinear.From(Linear("self_attn.q_proj"), Linear("self_attn.k_proj"), Linear("self_attn.v_proj")),
                PackedLinear.From(Linear("self_attn.o_proj")),
                PackedLinear.Floats(Get($"{p}post_attention_layernorm.weight")),
                PackedLinear.From(Linear("mlp.gate_proj"), Linear("mlp.up_proj")),
                PackedLinear.From(Linear("mlp.down_proj")));
        }
        Tensor embeddings = Get("model.embed_tokens.weight");
        Tensor head = c.TieWordEmbeddings ? embeddings : Get("lm_head.weight");
        float[] frequencies = [.. new RotaryEmbedding(c).FixedInverseFrequencies!];
        return new CpuDecoder(c, PackedLinear.Floats(embeddings), layers, PackedLinear.Floats(Get("model.norm.weight")),
            PackedLinear.From((head, null)), frequencies);
    }
}
