namespace GenRM.Planning;

/// <summary>
/// Weights, gradients and optimizer state of a phase (weights: the base, and a trained copy, which
/// with LoRA is only its adapters and head over the base's storage). AdamWOptimizer keeps two fp32 moments for every
/// parameter that requires a gradient, and an fp32 master copy of it when the weights are bf16;
/// libtorch allocates a gradient only for parameters the loss reaches (a reward model never uses
/// lm_head, so it gets moments but no gradient).
/// </summary>
internal sealed class ModelBytes
{
    public long Weights { get; }
    public long Gradients { get; }
    public long Optimizer { get; }
    /// <summary>Elements of the largest parameter that receives a gradient (each fp32 temporary of the optimizer step has this many).</summary>
    public long LargestGradientElements { get; }

    public ModelBytes(PlanOptions options, PhaseWorkload phase)
    {
        var baseModel = ParameterInventory.Of(options.Model with { NumLabels = 0 });
        var trained = ParameterInventory.Of(options.Model with { NumLabels = phase.RewardLabels });
        long adapters = options.Lora is { } lora ? ParameterInventory.AdapterParameters(trained, lora) : 0;
        long s = options.DType.Bytes;
        long head = trained.Where(p => p.Module == "score").Sum(p => p.Count);
        bool adapted = options.Lora is not null;
        // With LoRA the trained model is the base's own weights plus its adapters and head
        // (LanguageModel.TrainingCopy): the base is held once either way.
        bool holdsBase = phase.BaseCopy || (phase.TrainedCopy && adapted);
        long trainedOwn = !phase.TrainedCopy ? 0 : adapted ? adapters + head : trained.Sum(p => p.Count);
        Weights = ((holdsBase ? baseModel.Sum(p => p.Count) : 0) + trainedOwn) * s;
        if (phase.Kind != PhaseKind.Train) return;
        long trainable, withGradient, largest;
        if (options.Lora is null)
        {
            // A reward model never reads lm_head: it gets moments but no gradient.
            var reached = trained.Where(p => phase.ReadsLogits || p.Module != "lm_head").ToArray();
            trainable = trained.Sum(p => p.Count);
            withGradient = reached.Sum(p => p.Count);
            largest = reached.Max(p => p.Count);
        }
        else
        {
            // Frozen base weights: only the adapters (A [r, in], B [out, r]) and a reward head train.
            trainable = withGradient = adapters + head;
            largest = Math.Max(head, trained.Where(p => p.IsProjectionWeight && options.Lora.Targets(p.Module))
                .Select(p => options.Lora.Rank * Math.Max(p.Shape[0], p.Shape[1])).DefaultIfEmpty(0).Max());
        }
        LargestGradientElements = largest;
        Gradients = withGradient * s;
        Optimizer = trainable * (2 * 4 + (options.DType.IsLowPrecision ? 4 : 0));
    }
}
