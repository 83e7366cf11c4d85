using GenRM.MiniWorld;
using GenRM.Modeling;

namespace GenRM.Benchmarks;

/// <summary>
/// What <see cref="BenchRunner"/> measures and how long it spends. <c>smoke</c> checks the wiring in
/// under a minute on the smoke MiniWorld model; <c>default</c> measures the default MiniWorld model
/// at the study's batch sizes. Repeats and step counts only trade time for steadier medians.
/// </summary>
public sealed record BenchConfig
{
    public string Preset { get; init; } = "custom";
    /// <summary>The MiniWorld model size whose shape is measured (smoke, default, or <see cref="SizeThreeAndHalfMillion"/>).</summary>
    public string ModelSize { get; init; } = MiniWorldModel.DefaultName;
    /// <summary>libtorch intra-op threads.</summary>
    public int Threads { get; init; } = 2;
    public string Device { get; init; } = "cpu";
    public int Seed { get; init; } = 1;
    /// <summary>Side of the square matrices of the reference matmul.</summary>
    public int MatmulSize { get; init; } = 1024;
    public int MatmulRepeats { get; init; } = 10;
    /// <summary>Examples per training micro-batch (the study's batch size).</summary>
    public int TrainBatchSize { get; init; } = 16;
    public int TrainWarmupSteps { get; init; } = 2;
    public int TrainMeasuredSteps { get; init; } = 8;
    /// <summary>New tokens per sequence when timing KV-cache sampling at batch 1, 32 and 128.</summary>
    public int SampleTokens { get; init; } = 128;
    /// <summary>New tokens per sequence when comparing the KV cache with recomputing the whole sequence.</summary>
    public int RecomputeTokens { get; init; } = 32;
    public int SampleRepeats { get; init; } = 3;
    /// <summary>Rows sampled at once in STaR (the study's evaluation batch size).</summary>
    public int StarBatchSize { get; init; } = 64;
    public int JudgePairs { get; init; } = 64;
    public int CotJudgePairs { get; init; } = 8;
    /// <summary>Chain-of-thought votes per pair (k).</summary>
    public int CotVotes { get; init; } = 8;
    /// <summary>Optimizer steps of the memory run; live tensors and resident memory are read at a tenth of it and at the end.</summary>
    public int MemorySteps { get; init; } = 1000;
    /// <summary>Study presets whose <c>reproduce</c> is run once and timed by phase (the default study takes ~14 minutes).</summary>
    public IReadOnlyList<string> Studies { get; init; } = [StudyNames[0], StudyNames[1]];

    /// <summary>The study presets <see cref="Studies"/> may name.</summary>
    public static IReadOnlyList<string> StudyNames { get; } = ["smoke", "default"];

    /// <summary>
    /// The Python that runs the PyTorch peer (<c>tools/bench_reference.py</c>): <see cref="PeerAuto"/>
    /// finds one with torch, <see cref="PeerNone"/> skips it, anything else is a Python to run.
    /// </summary>
    public string Peer { get; init; } = PeerAuto;

    public const string PeerAuto = "auto";
    public const string PeerNone = "none";

    /// <summary>The ~3.5 M-parameter MiniWorld-shaped model (width 192, 6 layers), measured with random weights.</summary>
    public const string SizeThreeAndHalfMillion = "3.5m";

    public static BenchConfig Smoke { get; } = new()
    {
        Preset = "smoke",
        ModelSize = MiniWorldModel.SmokeName,
        MatmulRepeats = 5,
        TrainBatchSize = 4,
        TrainWarmupSteps = 1,
        TrainMeasuredSteps = 3,
        SampleTokens = 16,
        RecomputeTokens = 4,
        SampleRepeats = 1,
        StarBatchSize = 16,
        JudgePairs = 8,
        CotJudgePairs = 2,
        MemorySteps = 200,
        Studies = [StudyNames[0]],
    };

    public static BenchConfig Default { get; } = new() { Preset = "default", RecomputeTokens = 16 };

    /// <summary>The preset named <paramref name="name"/>.</summary>
    /// <exception cref="BadInputException">Another name.</exception>
    public static BenchConfig Named(string name) => name switch
    {
        "smoke" => Smoke,
        "default" => Default,
        _ => throw new BadInputException($"no bench preset '{name}' (presets: smoke, default)"),
    };

    /// <summary>The model shape of <see cref="ModelSize"/>.</summary>
    public ModelConfig ModelShape() => ModelSize == SizeThreeAndHalfMillion
        ? MiniWorldModel.Default.Model with { HiddenSize = 192, IntermediateSize = 4 * 192, NumHiddenLayers = 6 }
        : MiniWorldModel.Preset(ModelSize).Model;

    /// <summary>The MiniWorld world whose pairs feed the measurements.</summary>
    public MiniWorldConfig World() => ModelSize == MiniWorldModel.SmokeName ? MiniWorldModel.Smoke.World : MiniWorldModel.Default.World;

    public BenchConfig Validated()
    {
        if (ModelSize is not (MiniWorldModel.SmokeName or MiniWorldModel.DefaultName or SizeThreeAndHalfMillion))
            throw new BadInputException($"no model size '{ModelSize}' (sizes: smoke, default, {SizeThreeAndHalfMillion})");
        if (Threads < 1) throw new BadInputException("--threads must be at least 1");
        if (MatmulSize < 16 || MatmulRepeats < 1 || TrainBatchSize < 1 || TrainWarmupSteps < 0 || TrainMeasuredSteps < 1 || SampleTokens < 1
            || RecomputeTokens < 1 || SampleRepeats < 1 || StarBatchSize < 1 || JudgePairs < 1 || CotJudgePairs < 1 || CotVotes < 1 || MemorySteps < 10)
            throw new BadInputException("bench sizes must be positive (and at least 10 memory steps)");
        if (Studies.FirstOrDefault(s => !StudyNames.Contains(s)) is { } study)
            throw new BadInputException($"no study preset '{study}' to time (studies: {string.Join(", ", StudyNames)})");
        return this;
    }
}
