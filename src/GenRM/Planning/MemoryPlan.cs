namespace GenRM.Planning;

/// <summary>
/// One method's plan: every moment of its phases, the largest (its peak), its training activations
/// with and without checkpointing, and the largest batch and sequence length that fit the memory.
/// </summary>
public sealed record MethodPlan(string Method, IReadOnlyList<PlanMoment> Moments, long ActivationsPlain, long ActivationsCheckpointed,
    int MaxBatch, int MaxLength)
{
    public PlanMoment Peak => Moments.MaxBy(m => m.Parts.Total)!;

    public bool Fits(long memory) => Peak.Parts.Total <= memory;

    /// <summary>When the plan trains adapters: the same method's peak with every weight trained instead (checkpointing as planned); else null.</summary>
    public PlanMoment? FullTuningPeak { get; init; }
}

/// <summary>Every method's plan against <see cref="Memory"/> bytes (from <see cref="MemorySource"/>).</summary>
public sealed record MemoryPlan(PlanOptions Options, PlanSettings Settings, long Memory, string MemorySource, IReadOnlyList<MethodPlan> Methods)
{
    public IEnumerable<MethodPlan> NotFitting => Methods.Where(m => !m.Fits(Memory));

    public bool AllFit => !NotFitting.Any();
}
