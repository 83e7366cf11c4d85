using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GenRM.Modeling.Lora;

/// <summary>
/// One projection's adapter: <c>lora_A</c> [r, in] and <c>lora_B</c> [out, r] (PEFT's names), adding
/// (α / r) B A dropout(x) to the frozen projection's output. A starts Kaiming-uniform as PEFT's does
/// (bound 1 / √in), B at zero, so a fresh adapter changes nothing.
/// </summary>
public sealed class LoraLayer : nn.Module
{
    readonly double scaling;
    readonly double dropout;

    [ComponentName(Name = "lora_A")]
    internal readonly Linear A;
    [ComponentName(Name = "lora_B")]
    internal readonly Linear B;

    /// <summary>False while the adapters are switched off (the base model's outputs, e.g. a DPO reference).</summary>
    public bool Enabled { get; internal set; } = true;

    internal LoraLayer(Linear projection, LoraConfig config, Generator generator) : base(nameof(LoraLayer))
    {
        Tensor weight = projection.weight!;
        long outFeatures = weight.shape[0], inFeatures = weight.shape[1];
        (scaling, dropout) = (config.Scaling, config.Dropout);
        A = nn.Linear(inFeatures, config.Rank, hasBias: false, device: weight.device, dtype: weight.dtype);
        B = nn.Linear(config.Rank, outFeatures, hasBias: false, device: weight.device, dtype: weight.dtype);
        using (no_grad())
        {
            // kaiming_uniform_(a=√5) as PEFT calls it: gain √(2 / (1 + 5)) times √(3 / fan_in) is 1 / √fan_in.
            // Drawn in fp32 on the CPU so a seed gives the same A on every device and dtype.
            double bound = 1 / Math.Sqrt(inFeatures);
            using var drawn = empty(config.Rank, inFeatures).uniform_(-bound, bound, generator);
            A.weight!.copy_(drawn);
            B.weight!.zero_();
        }
        RegisterComponents();
    }

    /// <summary>The factor α / r on B A.</summary>
    public double Scaling => scaling;

    /// <summary>The adapted projection of <paramref name="input"/>: the base output plus the adapter's, when enabled.</summary>
    internal Tensor Forward(Linear projection, Tensor input)
    {
        if (!Enabled) return projection.forward(input);
        // The base projection's output is inside the scope too: the sum's gradient does not need it.
        using var scope = NewDisposeScope();
        Tensor output = projection.forward(input);
        // The dropout follows the projection's train/eval mode: the adapters are kept outside the module tree.
        Tensor dropped = dropout > 0 ? nn.functional.dropout(input, dropout, projection.training) : input;
        using Scalar factor = scaling.ToScalar();
        return output.add(B.forward(A.forward(dropped)) * factor, Scalars.One).MoveToOuterDisposeScope();
    }

    /// <summary>(α / r) B A in fp32, the change merging makes to the projection's weight.</summary>
    internal Tensor WeightDelta()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using Scalar factor = scaling.ToScalar();
        return (B.weight!.to(ScalarType.Float32).matmul(A.weight!.to(ScalarType.Float32)) * factor).MoveToOuterDisposeScope();
    }
}
