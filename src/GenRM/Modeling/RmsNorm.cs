using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GenRM.Modeling;

/// <summary>Root-mean-square layer norm as in Llama: normalised in fp32, scaled by <c>weight</c> in the input dtype.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    // Held for the module's lifetime: TorchSharp finalizes implicitly converted Scalars on the GC
    // thread, which can free one while a native call still reads it (seen as Scalar.h asserts). Its
    // own square() is pow(2) with such a Scalar, hence pow(two).
    readonly Scalar eps, two = 2.ToScalar();
    [ComponentName(Name = "weight")]
    Parameter weight;

    public RmsNorm(int size, double eps, Device? device = null) : base(nameof(RmsNorm))
    {
        this.eps = eps.ToScalar();
        weight = new Parameter(ones(size, device: device));
        RegisterComponents();
    }

    /// <summary>Replaces the scale (the same shape), as a model built on the meta device receives its weights.</summary>
    internal void ReplaceWeight(Parameter value)
    {
        if (ReferenceEquals(value, weight)) return;
        weight.Dispose();
        weight = (Parameter)value.DetachFromDisposeScope();
        ConditionallyRegisterParameter("weight", weight);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x = input.to(ScalarType.Float32);
        x = x * rsqrt(x.pow(two).mean([-1], keepdim: true) + this.eps);
        return (weight * x.to(input.dtype)).MoveToOuterDisposeScope();
    }
}
