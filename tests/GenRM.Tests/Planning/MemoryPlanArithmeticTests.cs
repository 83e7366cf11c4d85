using GenRM.Modeling;
using GenRM.Planning;

namespace GenRM.Tests.Planning;

/// <summary>
/// The plan's sums against hand-computed values for a tiny config: vocabulary 10, hidden 8,
/// intermediate 16, 2 layers, 2 heads over 1 key/value head (head_dim 4), untied embeddings, no biases.
/// Parameters: embeddings 80; per layer norm 8 + q 64 + k 32 + v 32 + o 64 + norm 8 + gate 128 + up 128 + down 128 = 592;
/// final norm 8; lm_head 80: 80 + 2·592 + 8 + 80 = 1352.
/// </summary>
public sealed class MemoryPlanArithmeticTests
{
    static readonly ModelConfig Tiny = new ModelConfig
    {
        VocabSize = 10, HiddenSize = 8, IntermediateSize = 16, NumHiddenLayers = 2, NumAttentionHeads = 2, NumKeyValueHeads = 1, MaxPositionEmbeddings = 64,
    }.Validated();

    static PlanOptions Options(PlanDType? dtype = null, PlanLora? lora = null) => new() { Model = Tiny, DType = dtype ?? PlanDType.Fp32, Lora = lora };

    static MemoryParts Peak(PhaseWorkload phase, PlanOptions options) => PhaseMemory.Moments(phase, options).MaxBy(m => m.Parts.Total)!.Parts;

    static PhaseWorkload SftStep => new("sft", PhaseKind.Train, Rows: 2, Length: 5) { BaseCopy = false, TrainedCopy = true };

    [Fact]
    public void ParameterCountIsTheHandCount() =>
        Assert.Equal(1352, ParameterInventory.Of(Tiny).Sum(p => p.Count));

    [Fact]
    public void WeightBytesAreParametersTimesElementSize()
    {
        var judging = new PhaseWorkload("judging", PhaseKind.Forward, 1, 4);
        Assert.Equal(1352 * 4, Peak(judging, Options()).Weights);
        Assert.Equal(1352 * 2, Peak(judging, Options(PlanDType.Bf16)).Weights);
        // A trained method holds the base model and its copy; Bradley-Terry's copy has a one-output head (8 more).
        Assert.Equal((1352 + 1360) * 4, Peak(judging with { TrainedCopy = true, RewardLabels = 1 }, Options()).Weights);
    }

    [Fact]
    public void KvCacheIsTwoLayersKvHeadsHeadDimPositionsRowsBytesPlusItsMask()
    {
        // 2 · 2 layers · 1 kv head · 4 · 7 positions · 3 rows · 4 bytes = 1344, and the int64 mask 3 · 7 · 8 = 168.
        Assert.Equal(1344 + 168, PhaseMemory.KvCacheBytes(Options(), rows: 3, capacity: 7));
        Assert.Equal(672 + 168, PhaseMemory.KvCacheBytes(Options(PlanDType.Bf16), rows: 3, capacity: 7));
        var sampling = new PhaseWorkload("sampling", PhaseKind.Sample, Rows: 3, Length: 7) { NewTokens = 3 };
        Assert.Equal(1344 + 168, PhaseMemory.Moments(sampling, Options()).Single(m => m.Moment == "decoding").Parts.KvCache);
    }

    [Fact]
    public void OnTheCpuSmallModelsSampleThroughManagedCachesCountedByHand()
    {
        // head_dim 8, so CpuDecoder covers it: 3 rows, 3 samples per prompt, so 2 distinct prompts of
        // 7 - 3 = 4 tokens. Prompts: 4 bytes · 2 layers · 2 prompts · 8 (kv) · (8 padded keys + 4 values) = 1536;
        // each row's own keys and values: 4 · 2 · 2 layers · 3 rows · 8 · 8 (3 new tokens padded to 8) = 3072.
        var config = Tiny with { HiddenSize = 16, HeadDim = 8 };
        var sampling = new PhaseWorkload("sampling", PhaseKind.Sample, Rows: 3, Length: 7) { NewTokens = 3, SamplesPerPrompt = 3 };
        var cpu = new PlanOptions { Model = config, OnCpu = true };
        Assert.True(cpu.ManagedDecoding);
        var moments = PhaseMemory.Moments(sampling, cpu);
        Assert.Contains(moments, m => m.Moment == "prompts copied to managed decoding");
        Assert.Equal(1536 + 3072, moments.Single(m => m.Moment == "decoding").Parts.KvCache);
        // Elsewhere (a GPU, bf16, adapters, head_dim 4) libtorch's steps are planned.
        Assert.False((cpu with { OnCpu = false }).ManagedDecoding);
        Assert.False((cpu with { DType = PlanDType.Bf16 }).ManagedDecoding);
        Assert.False((cpu with { Lora = PlanLora.Parse(2, "q_proj") }).ManagedDecoding);
        Assert.False((cpu with { Model = Tiny }).ManagedDecoding);
        Assert.DoesNotContain(PhaseMemory.Moments(sampling, cpu with { OnCpu = false }), m => m.Moment == "prompts copied to managed decoding");
    }

    [Fact]
    public void OptimizerStateIsTwoFp32MomentsAndInBf16AMasterCopy()
    {
        Assert.Equal(1352 * 8, Peak(SftStep, Options()).Optimizer);
        Assert.Equal(1352 * 4, Peak(SftStep, Options()).Gradients);
        Assert.Equal(1352 * 12, Peak(SftStep, Options(PlanDType.Bf16)).Optimizer);
        Assert.Equal(1352 * 2, Peak(SftStep, Options(PlanDType.Bf16)).Gradients);
    }

    [Fact]
    public void RewardModelTrainingHasMomentsButNoGradientForTheUnusedLmHead()
    {
        var parts = Peak(SftStep with { RewardLabels = 1 }, Options());
        Assert.Equal(1360 * 8, parts.Optimizer);
        Assert.Equal((1360 - 80) * 4, parts.Gradients);
    }

    [Fact]
    public void LoraTrainsOnlyTheAdapters()
    {
        // r = 2 on q_proj [8, 8] and v_proj [4, 8]: 2·(8 + 8) + 2·(8 + 4) = 56 per layer, 112 in all.
        var lora = PlanLora.Parse(2, "q_proj,v_proj");
        Assert.Equal(112, ParameterInventory.AdapterParameters(ParameterInventory.Of(Tiny), lora));
        var parts = Peak(SftStep, Options(lora: lora));
        Assert.Equal(112 * 8, parts.Optimizer);
        Assert.Equal(112 * 4, parts.Gradients);
        Assert.Equal((1352 + 112) * 4, parts.Weights);
    }

    [Fact]
    public void WithLoraTheTrainedCopyIsOnlyItsAdaptersAndHeadOverTheBase()
    {
        // LanguageModel.TrainingCopy shares the base's storage: base 1352, adapters 112, a one-output head 8.
        var judging = new PhaseWorkload("judging", PhaseKind.Forward, 1, 4) { TrainedCopy = true, RewardLabels = 1 };
        Assert.Equal((1352 + 112 + 8) * 4, Peak(judging, Options(lora: PlanLora.Parse(2, "q_proj,v_proj"))).Weights);
    }

    [Fact]
    public void TheHeadReadsOnlyTheLossTokensAndItsLogitsStayOneChunk()
    {
        // A 2^20-entry vocabulary: the head takes 2^26 / 2^20 = 64 positions at a time.
        var options = new PlanOptions { Model = Tiny with { VocabSize = 1 << 20 } };
        var judging = new PhaseWorkload("judging", PhaseKind.Forward, Rows: 4, Length: 200);
        long Workspace(int lossTokens) => Peak(judging with { LossTokens = lossTokens }, options).Workspace;
        // Past one chunk, each further position read adds its state (8 fp32) and three int64 indices, no logits.
        Assert.Equal(4 * 50 * (8 * 4 + 3 * 8), Workspace(150) - Workspace(100));
        // Within one chunk, a position adds its logits too (fp32, and logsumexp's temporary).
        Assert.Equal(4 * 8 * (8 * 4 + 3 * 8 + (1 << 20) * 8L), Workspace(10) - Workspace(2));
    }

    [Fact]
    public void TheOptimizerStepHoldsTemporariesOfOneParameterAtATime()
    {
        // The largest parameters with a gradient are the MLP's (16 × 8 = 128 elements): three fp32 temporaries of one.
        var step = PhaseMemory.Moments(SftStep, Options()).Single(m => m.Moment == "optimizer step").Parts;
        Assert.Equal(3 * 128 * 4, step.Workspace);
        // With LoRA r = 2 on q_proj and v_proj, the largest adapter matrix is q_proj's A or B (2 × 8 = 16).
        var adapters = PhaseMemory.Moments(SftStep, Options(lora: PlanLora.Parse(2, "q_proj,v_proj"))).Single(m => m.Moment == "optimizer step").Parts;
        Assert.Equal(3 * 16 * 4, adapters.Workspace);
    }

    [Fact]
    public void CheckpointingKeepsLessAndGrowsLinearlyInRows()
    {
        long plain = PhaseMemory.SavedActivations(SftStep, Options(), checkpointing: false);
        long checkpointed = PhaseMemory.SavedActivations(SftStep, Options(), checkpointing: true);
        Assert.True(checkpointed < plain, $"{checkpointed} vs {plain}");
        long doubled = PhaseMemory.SavedActivations(SftStep with { Rows = 4 }, Options(), checkpointing: false);
        Assert.Equal(2 * plain, doubled);
    }

    [Fact]
    public void MaxBatchIsTheLargestThatFits()
    {
        var settings = new PlanSettings { TrainBatch = 5, MaxLength = 16, EvalBatch = 4, Votes = 2, SamplesPerItem = 2, RationaleTokens = 4, Methods = ["genrm"] };
        long atFive = MemoryPlanner.Moments("genrm", Options(), settings).Max(m => m.Parts.Total);
        var plan = MemoryPlanner.Plan(Options(), settings, atFive, "test");
        Assert.Equal(5, plan.Methods[0].MaxBatch);
        Assert.True(plan.AllFit);
        Assert.False(MemoryPlanner.Plan(Options(), settings, atFive - 1, "test").AllFit);
    }

    [Theory]
    [InlineData("80GiB", 80L << 30)]
    [InlineData("24GB", 24_000_000_000L)]
    [InlineData("1.5 MiB", 3L << 19)]
    [InlineData("4096", 4096L)]
    public void SizesParse(string text, long bytes) => Assert.Equal(bytes, ByteSize.Parse(text, "--memory"));

    [Theory]
    [InlineData("80 gigs")]
    [InlineData("-1GiB")]
    [InlineData("")]
    public void MalformedSizesNameTheOption(string text) =>
        Assert.Contains("--memory", Assert.Throws<BadInputException>(() => ByteSize.Parse(text, "--memory")).Message);
}
