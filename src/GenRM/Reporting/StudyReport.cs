using GenRM.Evaluation;
using GenRM.MiniWorld;

namespace GenRM.Reporting;

/// <summary>
/// Everything the report shows about one run. The runner fills it; <see cref="ReportWriter"/>
/// renders it, <see cref="Findings"/> judges the paper's claims from it, and notebooks chart it
/// with <see cref="StudyCharts"/>.
/// </summary>
/// <param name="Run">The run-level fields of results.json.</param>
/// <param name="Results">The rows of results.json (method × section, accuracy with its 95 % interval).</param>
public sealed record StudyReport(RunInfo Run, IReadOnlyList<ResultRow> Results)
{
    /// <summary>Training metrics per method: one row per logged step, with at least <c>step</c> and <c>loss</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, double>>> TrainingCurves { get; init; } =
        new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, double>>>();

    /// <summary>Held-out accuracy and data statistics of each STaR iteration, per STaR method.</summary>
    public IReadOnlyList<StarIterationStats> StarIterations { get; init; } = [];

    /// <summary>Accuracy by number of sampled verdicts in the majority vote (1 = a single sample).</summary>
    public IReadOnlyList<MajorityVoteStats> MajorityVotes { get; init; } = [];

    /// <summary>Position bias of each generative judge, measured with both A/B orders.</summary>
    public IReadOnlyDictionary<string, PositionBiasReport> PositionBias { get; init; } = new Dictionary<string, PositionBiasReport>();

    /// <summary>One note per method (shown beside the results table), e.g. what a preset shortened.</summary>
    public IReadOnlyDictionary<string, string> MethodNotes { get; init; } = new Dictionary<string, string>();

    /// <summary>The world the run was done in, as markdown (empty when not applicable).</summary>
    public string WorldDescription { get; init; } = "";

    /// <summary>Free notes about the run, shown as a list.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Every method's item-level outcomes (over every seed pooled): what the findings and diagnostics are computed from.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ItemRecord>> Items { get; init; } = new Dictionary<string, IReadOnlyList<ItemRecord>>();

    /// <summary>Chain-of-thought judges read once greedily (one rationale at temperature 0), beside their majority vote in <see cref="Results"/>.</summary>
    public IReadOnlyList<ResultRow> GreedyResults { get; init; } = [];

    /// <summary>Each method's training budget.</summary>
    public IReadOnlyList<BudgetCard> Budgets { get; init; } = [];

    /// <summary>What a shortcut and a checker score per section (MiniWorld; empty for a study on files).</summary>
    public IReadOnlyList<SectionCeilings> Ceilings { get; init; } = [];

    /// <summary>The base model's measured abilities and gates, when its folder has a card.</summary>
    public BaseModelCard? BaseModelCard { get; init; }

    /// <summary>Which inference engine and weights served each STaR iteration's sampling and each judge (empty: all in this process).</summary>
    public IReadOnlyList<Remote.SamplerUse> Sampler { get; init; } = [];

    /// <summary>Every setting of the run: the spec as JSON (empty when unknown).</summary>
    public string Settings { get; init; } = "";

    /// <summary>The software the run used (genrm, TorchSharp, libtorch, .NET).</summary>
    public IReadOnlyList<SoftwareVersion> Versions { get; init; } = [];

    /// <summary>The CPU the run computed on (<see cref="Runtime.CpuInfo.Describe"/>): a seed's numbers repeat on the same kind of CPU; empty when unknown.</summary>
    public string Machine { get; init; } = "";

    /// <summary>The seeds pooled in this report; empty or one for a single run.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [];

    /// <summary>Several seeds pooled: each seed's own rows (the pooled ones are <see cref="Results"/>).</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<ResultRow>> ResultsBySeed { get; init; } = new Dictionary<int, IReadOnlyList<ResultRow>>();

    /// <summary>True for the smoke preset, whose sizes are too small for any verdict to mean something.</summary>
    public bool IsSmoke => Run.Preset == "smoke";

    /// <summary>The diagnostics of every method whose items carry MiniWorld's facts, in study order.</summary>
    public IReadOnlyList<JudgeDiagnostics> Diagnostics =>
        [.. StudyOrder.SortMethods(Items.Keys).Select(m => JudgeDiagnostics.Measure(m, Items[m])).OfType<JudgeDiagnostics>()];
}

/// <summary>One STaR iteration of one method.</summary>
/// <param name="Method">The STaR method id (star-sft, star-rationalizer, star-dpo).</param>
/// <param name="Iteration">1-based iteration number (0 may stand for the model before the first iteration).</param>
/// <param name="HeldOutAccuracy">In-distribution accuracy on held-out pairs after the iteration, in [0, 1].</param>
/// <param name="Ci95">Its 95 % interval, when measured.</param>
/// <param name="KeptFraction">Fraction of sampled rationales whose verdict matched the label.</param>
/// <param name="ExamplesBuilt">Training examples (SFT examples or DPO pairs) built in the iteration.</param>
/// <param name="Seconds">How long its phases took (null where not recorded).</param>
public sealed record StarIterationStats(string Method, int Iteration, double HeldOutAccuracy, ConfidenceInterval? Ci95, double KeptFraction, int ExamplesBuilt,
    Bootstrapping.StarIterationSeconds? Seconds = null)
{
    /// <summary>The study's seed (several seeds pooled in one report each keep their iterations).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Rationales sampled in the iteration.</summary>
    public int Sampled { get; init; }

    /// <summary>Rationales kept by the filter (verdict equal to the label).</summary>
    public int Kept { get; init; }

    /// <summary>MiniWorld: sampled rationales containing the world's correct check (null elsewhere).</summary>
    public int? SampledWithCheck { get; init; }

    /// <summary>MiniWorld: kept rationales containing the world's correct check (null elsewhere).</summary>
    public int? KeptWithCheck { get; init; }

    /// <summary>Each held-out pair's score after the iteration, for paired comparisons between iterations.</summary>
    public IReadOnlyList<ItemRecord> HeldOutItems { get; init; } = [];

    /// <summary>The statistics of a STaR loop's iteration, under <paramref name="method"/>, in the study of <paramref name="seed"/>.</summary>
    public static StarIterationStats From(string method, Bootstrapping.StarIteration iteration, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(iteration);
        return new(method, iteration.Iteration, iteration.HeldOutAccuracy, iteration.HeldOutCi95, iteration.KeptFraction, iteration.ExamplesBuilt, iteration.Seconds)
        {
            Seed = seed,
            Sampled = iteration.Sampled,
            Kept = iteration.Kept,
            HeldOutItems = [.. iteration.HeldOutOutcomes.Select(o => new ItemRecord(seed, o.Id, o.Subset, o.Score))],
        };
    }
}

/// <summary>A generative judge's accuracy on a section when the verdict is the majority of <paramref name="Votes"/> samples.</summary>
/// <param name="Method">Method id.</param>
/// <param name="Section">Section name.</param>
/// <param name="Votes">Samples per item (1 = no vote).</param>
/// <param name="Accuracy">Accuracy in [0, 1].</param>
/// <param name="Ci95">Its 95 % interval.</param>
public sealed record MajorityVoteStats(string Method, string Section, int Votes, double Accuracy, ConfidenceInterval Ci95);
