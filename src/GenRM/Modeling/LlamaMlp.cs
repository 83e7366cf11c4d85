using GenRM.Modeling.Lora;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GenRM.Modeling;

/// <summary>SwiGLU feed-forward block: down(silu(gate(x)) * up(x)) (<c>mlp</c> in the state dict), with biases when the config has <c>mlp_bias</c>.</summary>
public sealed class LlamaMlp : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "gate_proj")]
    readonly Linear gateProj;
    [ComponentName(Name = "up_proj")]
    readonly Linear upProj;
    [ComponentName(Name = "down_proj")]
    readonly Linear downProj;

    public LlamaMlp(ModelConfig config, Device? device = null) : base(nameof(LlamaMlp))
    {
        gateProj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: config.MlpBias, device: device);
        upProj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: config.MlpBias, device: device);
        downProj = nn.Linear(config.IntermediateSize, config.HiddenSize, hasBias: config.MlpBias, device: device);
        RegisterComponents();
        Projections = new AdaptableProjections(("gate_proj", gateProj), ("up_proj", upProj), ("down_proj", downProj));
    }

    /// <summary>The projections LoRA can adapt, and their adapters.</summary>
    internal AdaptableProjections Projections { get; }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor gated = nn.functional.silu(Projections.Apply("gate_proj", gateProj, input)) * Projections.Apply("up_proj", upProj, input);
        return Projections.Apply("down_proj", downProj, gated).MoveToOuterDisposeScope();
    }
}
