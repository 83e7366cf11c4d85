namespace GenRM.Planning;

/// <summary>Plans every method of a study: the peak of each, and the largest batch and sequence length that fit.</summary>
public static class MemoryPlanner
{
    /// <summary>The plan of <paramref name="settings"/>' methods against <paramref name="memory"/> bytes.</summary>
    public static MemoryPlan Plan(PlanOptions options, PlanSettings settings, long memory, string memorySource)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(settings);
        return new MemoryPlan(options, settings, memory, memorySource, [.. settings.Methods.Select(m => PlanMethod(m, options, settings, memory))]);
    }

    /// <summary>Every moment of <paramref name="method"/> at <paramref name="settings"/>.</summary>
    public static IReadOnlyList<PlanMoment> Moments(string method, PlanOptions options, PlanSettings settings) =>
        [.. MethodWorkloads.For(method, settings).SelectMany(phase => PhaseMemory.Moments(phase, options))];

    static MethodPlan PlanMethod(string method, PlanOptions options, PlanSettings settings, long memory)
    {
        var training = MethodWorkloads.For(method, settings).Where(p => p.Kind == PhaseKind.Train).ToArray();
        long Activations(bool checkpointing) => training.Select(p => PhaseMemory.SavedActivations(p, options, checkpointing)).DefaultIfEmpty(0).Max();
        bool Fits(PlanSettings s) => Moments(method, options, s).Max(m => m.Parts.Total) <= memory;
        // The batch knob is the training micro-batch where the method trains, else the judging batch.
        bool trains = MethodWorkloads.Trains(method);
        int maxBatch = Largest(b => Fits(trains ? settings with { TrainBatch = b } : settings with { EvalBatch = b }), 1 << 20);
        int maxLength = Largest(t => Fits(settings with { MaxLength = t }), Math.Min(options.Model.LongestSequence, 1 << 24));
        return new MethodPlan(method, Moments(method, options, settings), Activations(false), Activations(true), maxBatch, maxLength)
        {
            FullTuningPeak = options.Lora is null ? null : Moments(method, options with { Lora = null }, settings).MaxBy(m => m.Parts.Total),
        };
    }

    /// <summary>The largest n in [1, <paramref name="limit"/>] with <paramref name="fits"/>(n), 0 when even 1 does not (memory grows with n).</summary>
    static int Largest(Func<int, bool> fits, int limit)
    {
        if (!fits(1)) return 0;
        int low = 1, high = limit;
        while (low < high)
        {
            int middle = low + (high - low + 1) / 2;
            if (fits(middle)) low = middle;
            else high = middle - 1;
        }
        return low;
    }
}
