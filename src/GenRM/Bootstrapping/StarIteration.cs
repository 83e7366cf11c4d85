using GenRM.Evaluation;
using GenRM.Training;

namespace GenRM.Bootstrapping;

/// <summary>
/// One STaR iteration's record: items sampled, rationales sampled and kept (verdict matching the
/// label), training examples built, and the judge's accuracy on the held-out slice afterwards.
/// <see cref="Samples"/> holds every rationale sampled in the iteration, kept or not, to look at;
/// <see cref="Seconds"/> how long its phases took.
/// </summary>
public sealed record StarIteration(
    int Iteration,
    int Items,
    int Sampled,
    int Kept,
    int ExamplesBuilt,
    double HeldOutAccuracy,
    ConfidenceInterval HeldOutCi95,
    int HeldOutN,
    TrainingResult? Training,
    IReadOnlyList<RationaleSample> Samples,
    StarIterationSeconds Seconds)
{
    public double KeptFraction => Sampled == 0 ? 0 : (double)Kept / Sampled;

    /// <summary>Each held-out pair's score after the iteration (the same pairs every iteration, so iterations pair item by item).</summary>
    public IReadOnlyList<ItemOutcome> HeldOutOutcomes { get; init; } = [];

    /// <summary>The engine and weights that sampled the iteration's rationales (null: the model in this process).</summary>
    public Remote.EngineWeights? SampledOn { get; init; }

    /// <summary>The engine and weights that judged the held-out slice after training (null: the model in this process).</summary>
    public Remote.EngineWeights? JudgedOn { get; init; }
}

/// <summary>Wall seconds of a STaR iteration's phases: sampling rationales, training on those kept, judging the held-out slice.</summary>
public sealed record StarIterationSeconds(double Sampling, double Training, double HeldOut);
