using TorchSharp;
using TorchSharp.Modules;
using GenRM.Modeling;
using static TorchSharp.torch;

namespace GenRM.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter) with decoupled weight decay, global-norm gradient clipping, and
/// fp32 master weights for parameters kept in bf16 or fp16: moments and master copies are fp32,
/// the low-precision parameter receives a rounded copy after each step. Its whole state is named
/// tensors, so a checkpoint stores and restores it exactly.
/// </summary>
public sealed class AdamWOptimizer : IDisposable
{
    sealed record Slot(string Name, Parameter Parameter, Tensor ExpAvg, Tensor ExpAvgSq, Tensor? Master, bool Decay);

    readonly OptimizerConfig config;
    readonly List<Slot> slots = [];

    /// <summary>Optimizer steps taken so far (bias correction uses it).</summary>
    public int StepCount { get; private set; }

    public AdamWOptimizer(IEnumerable<(string Name, Parameter Parameter)> parameters, OptimizerConfig config)
    {
        this.config = config.Validated();
        using var noGrad = no_grad();
        foreach (var (name, parameter) in parameters)
        {
            if (!parameter.requires_grad) continue;
            Tensor? master = parameter.dtype == ScalarType.Float32 ? null : parameter.detach().to(ScalarType.Float32).clone();
            slots.Add(new Slot(name,
                parameter,
                zeros(parameter.shape, ScalarType.Float32, parameter.device),
                zeros(parameter.shape, ScalarType.Float32, parameter.device),
                master,
                parameter.dim() >= 2));
        }
    }

    public void ZeroGrad()
    {
        // Each read of .grad wraps the gradient in a new tensor handle; the scope releases them.
        using var scope = NewDisposeScope();
        foreach (Slot slot in slots)
            slot.Parameter.grad?.zero_();
    }

    /// <summary>
    /// Clips, then updates every parameter with learning rate <paramref name="learningRate"/>.
    /// Returns the global gradient norm before clipping.
    /// </summary>
    public double Step(double learningRate)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double norm = GradientNorm();
        double clip = config.MaxGradNorm > 0 && norm > config.MaxGradNorm ? config.MaxGradNorm / (norm + 1e-6) : 1.0;
        StepCount++;
        double correction1 = 1 - Math.Pow(config.Beta1, StepCount);
        double correction2 = 1 - Math.Pow(config.Beta2, StepCount);
        // Scalars made explicitly and kept alive to the end of the step: TorchSharp finalizes implicitly
        // converted ones on the GC thread, which can free one while a native call still reads it.
        using Scalar clipScale = clip.ToScalar(), decay = (1 - learningRate * config.WeightDecay).ToScalar();
        using Scalar beta1 = config.Beta1.ToScalar(), gradWeight1 = (1 - config.Beta1).ToScalar();
        using Scalar beta2 = config.Beta2.ToScalar(), gradWeight2 = (1 - config.Beta2).ToScalar();
        using Scalar bias2 = correction2.ToScalar(), epsilon = config.Epsilon.ToScalar(), stepSize = (-learningRate / correction1).ToScalar();
        foreach (Slot slot in slots)
        {
            // Each parameter's temporaries (its fp32 gradient, the clipped copy, the denominator) are
            // freed before the next one's: at full fine-tuning they would otherwise add up to three
            // fp32 copies of the whole model.
            using var slotScope = NewDisposeScope();
            if (slot.Parameter.grad is not { } rawGrad) continue;
            Tensor grad = rawGrad.to(ScalarType.Float32);
            if (clip != 1.0) grad = grad * clipScale;
            Tensor weights = slot.Master ?? slot.Parameter;
            if (slot.Decay && config.WeightDecay > 0) weights.mul_(decay);
            slot.ExpAvg.mul_(beta1).add_(grad, alpha: gradWeight1);
            slot.ExpAvgSq.mul_(beta2).addcmul_(grad, grad, value: gradWeight2);
            Tensor denominator = (slot.ExpAvgSq / bias2).sqrt_().add_(epsilon, Scalars.One);
            weights.addcdiv_(slot.ExpAvg, denominator, value: stepSize);
            if (slot.Master is not null) slot.Parameter.copy_(slot.Master);
        }
        return norm;
    }

    double GradientNorm()
    {
        Tensor total = zeros(1, ScalarType.Float32, slots.Count > 0 ? slots[0].Parameter.device : CPU);
        // Not square(): TorchSharp implements it as pow(2) with an implicit Scalar that can be finalized mid-call.
        using Scalar two = 2.ToScalar();
        foreach (Slot slot in slots)
        {
            using var slotScope = NewDisposeScope();
            if (slot.Parameter.grad is { } grad)
                total.add_(grad.to(ScalarType.Float32).pow(two).sum(), Scalars.One);
        }
        return Math.Sqrt(total.item<float>());
    }

    /// <summary>The optimizer's tensors by name (<c>exp_avg.*</c>, <c>exp_avg_sq.*</c>, <c>master.*</c>), for a checkpoint.</summary>
    public Dictionary<string, Tensor> StateTensors()
    {
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (Slot slot in slots)
        {
            state["exp_avg." + slot.Name] = slot.ExpAvg;
            state["exp_avg_sq." + slot.Name] = slot.ExpAvgSq;
            if (slot.Master is not null) state["master." + slot.Name] = slot.Master;
        }
        return state;
    }

    /// <summary>Restores tensors written by <see cref="StateTensors"/> and the step count.</summary>
    public void LoadState(IReadOnlyDictionary<string, Tensor> state, int stepCount, string source)
    {
        SavedTensors.CopyInto(StateTensors().Select(p => (p.Key, p.Value)), state, source, "optimizer state");
        StepCount = stepCount;
    }

    public void Dispose()
    {
        foreach (Slot slot in slots)
        {
            slot.ExpAvg.Dispose();
            slot.ExpAvgSq.Dispose();
            slot.Master?.Dispose();
        }
    }
}
