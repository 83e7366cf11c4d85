namespace GenRM.Planning;

/// <summary>
/// Weights, gradients and optimizer state of a phase. AdamWOptimizer keeps two fp32 moments for every
/// parameter that requires a gradient, and an fp32 master copy of it when the weights are bf16;
/// libtorch allocates a gradient only for parameters the loss reaches (a reward model never uses
/// lm_head, so it gets moments but no gradient).
/// </summary>
internal sealed class ModelBytes
{
    public long Weights { get; }
    public long Gradients { get; }
    public long Optimizer { get; }
    /// <summary>Parameters that receive a gradient (each fp32 temporary of the optimizer step has this many elements).</summary>
    public long GradientElements { get; }

    public ModelBytes(PlanOptions options, PhaseWorkload phase)
    {
        var baseModel = ParameterInventory.Of(options.Model with { NumLabels = 0 });
        var trained = ParameterInventory.Of(options.Model with { NumLabels = phase.RewardLabels });
        long adapters = options.Lora is { } lora ? ParameterInventory.AdapterParameters(trained, lora) : 0;
        long s = options.DType.Bytes;
        Weights = ((phase.BaseCopy ? baseModel.Sum(p => p.Count) : 0) + (phase.TrainedCopy ? trained.Sum(p => p.Count) + adapters : 0)) * s;
        if (phase.Kind != PhaseKind.Train) return;
        long head = trained.Where(p => p.Module == "score").Sum(p => p.Count);
        long trainable, withGradient;
        if (options.Lora is null)
        {
            trainable = trained.Sum(p => p.Count);
            withGradient = trainable - (phase.ReadsLogits ? 0 : trained.Where(p => p.Module == "lm_head").Sum(p => p.Count));
        }
        else
        {
            // Frozen base weights: only the adapters and a reward head train.
            trainable = withGradient = adapters + head;
        }
        GradientElements = withGradient;
        Gradients = withGradient * s;
        Optimizer = trainable * (2 * 4 + (options.DType.IsLowPrecision ? 4 : 0));
    }
}
