using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GenRM.Modeling;

/// <summary>Root-mean-square layer norm as in Llama: normalised in fp32, scaled by <c>weight</c> in the input dtype.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    readonly double eps;
    [ComponentName(Name = "weight")]
    readonly Parameter weight;

    public RmsNorm(int size, double eps) : base(nameof(RmsNorm))
    {
        this.eps = eps;
        weight = new Parameter(ones(size));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x = input.to(ScalarType.Float32);
        x = x * rsqrt(x.pow(2).mean([-1], keepdim: true) + eps);
        return (weight * x.to(input.dtype)).MoveToOuterDisposeScope();
    }
}
