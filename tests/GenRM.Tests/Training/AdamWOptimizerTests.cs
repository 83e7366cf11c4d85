using GenRM.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GenRM.Tests.Training;

public sealed class AdamWOptimizerTests
{
    [Fact]
    public void OneStepMatchesTheHandComputedUpdateWithDecoupledDecay()
    {
        using var scope = NewDisposeScope();
        var matrix = new Parameter(tensor(new float[] { 1f, -2f }, [1, 2]));
        var vector = new Parameter(tensor(new float[] { 3f }));
        matrix.grad = tensor(new float[] { 0.5f, -0.5f }, [1, 2]);
        vector.grad = tensor(new float[] { 2f });
        var config = new OptimizerConfig { LearningRate = 0.1, WeightDecay = 0.1, MaxGradNorm = 0 };
        using var optimizer = new AdamWOptimizer([("m", matrix), ("v", vector)], config);
        optimizer.Step(0.1);
        // Step 1: m̂ = g, v̂ = g², so the update is lr · g / (|g| + ε) = ±0.1; decay multiplies matrices by 1 − lr·wd.
        Assert.Equal(1f * 0.99f - 0.1f, matrix.data<float>()[0], 1e-5);
        Assert.Equal(-2f * 0.99f + 0.1f, matrix.data<float>()[1], 1e-5);
        Assert.Equal(3f - 0.1f, vector.data<float>()[0], 1e-5);
    }

    [Fact]
    public void ClippingScalesTheGlobalGradientNorm()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(tensor(new float[] { 0f, 0f }));
        p.grad = tensor(new float[] { 3f, 4f });
        using var optimizer = new AdamWOptimizer([("p", p)], new OptimizerConfig { LearningRate = 1, Beta1 = 0, Beta2 = 0, WeightDecay = 0, MaxGradNorm = 1 });
        Assert.Equal(5.0, optimizer.Step(1.0), 1e-5);
        // With β = 0 the step is g/|g| per element regardless of clipping, so check the moment holds the clipped gradient.
        Assert.Equal([0.6f, 0.8f], optimizer.StateTensors()["exp_avg.p"].data<float>().ToArray().Select(x => MathF.Round(x, 4)));
    }

    [Fact]
    public void Bfloat16ParametersKeepFloat32MasterWeights()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(tensor(new float[] { 1f, 1f }, [1, 2]).to(ScalarType.BFloat16));
        using var optimizer = new AdamWOptimizer([("p", p)], new OptimizerConfig { LearningRate = 1e-4, WeightDecay = 0, MaxGradNorm = 0 });
        for (int i = 0; i < 10; i++)
        {
            p.grad = ones_like(p);
            optimizer.Step(1e-4);
        }
        // Ten steps of 1e-4 move the fp32 master to 0.999; bf16 alone (spacing 2^-7 near 1) could not accumulate them.
        Assert.Equal(0.999f, optimizer.StateTensors()["master.p"].data<float>()[0], 1e-5);
        Assert.Equal(ScalarType.BFloat16, p.dtype);
    }
}
