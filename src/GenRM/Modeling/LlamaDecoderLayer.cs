using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GenRM.Modeling;

/// <summary>One pre-norm transformer block: x + attn(norm(x)), then + mlp(norm(x)).</summary>
public sealed class LlamaDecoderLayer : nn.Module
{
    [ComponentName(Name = "input_layernorm")]
    readonly RmsNorm inputLayernorm;
    [ComponentName(Name = "self_attn")]
    readonly LlamaAttention selfAttn;
    [ComponentName(Name = "post_attention_layernorm")]
    readonly RmsNorm postAttentionLayernorm;
    [ComponentName(Name = "mlp")]
    readonly LlamaMlp mlp;

    public LlamaDecoderLayer(ModelConfig config, int layerIndex, Device? device = null) : base(nameof(LlamaDecoderLayer))
    {
        inputLayernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, device);
        selfAttn = new LlamaAttention(config, layerIndex, device);
        postAttentionLayernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, device);
        mlp = new LlamaMlp(config, device);
        RegisterComponents();
    }

    internal IEnumerable<(string Path, Lora.AdaptableProjections Projections)> AdaptableModules(string prefix) =>
        [($"{prefix}self_attn", selfAttn.Projections), ($"{prefix}mlp", mlp.Projections)];

    public Tensor Forward(Tensor hidden, AttentionContext context)
    {
        using var scope = NewDisposeScope();
        Tensor h = hidden.add(selfAttn.Forward(inputLayernorm.forward(hidden), context), Scalars.One);
        return h.add(mlp.forward(postAttentionLayernorm.forward(h)), Scalars.One).MoveToOuterDisposeScope();
    }
}
