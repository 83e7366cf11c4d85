using GenRM.Generation;
using GenRM.Judging;
using GenRM.MiniWorld;
using GenRM.Modeling;
using GenRM.Modeling.Lora;
using GenRM.Text;
using GenRM.Training;

namespace GenRM.Planning;

/// <summary>A model size the plan is measured on, with the batch and lengths its scenarios run at.</summary>
public sealed record ProbeSize(string Name, ModelConfig Config, int Batch, int Length, int SampleRows, int PromptTokens, int NewTokens, int SamplesPerPrompt);

/// <summary>
/// Measures the real peak of one training step or one sampling batch against the plan's estimate:
/// run in a fresh process per case (<c>genrm plan --measure</c> starts them), it reads the resident
/// memory before the model is built, resets the high-water mark, runs the case, and reads VmHWM.
/// </summary>
public static class PeakMemoryProbe
{
    /// <summary>
    /// The scenarios, each one phase of the plan: Bradley-Terry, SFT and DPO training (two optimizer
    /// steps, so gradients and moments exist at the second step's peak), SFT with the paper preset's
    /// LoRA (r 16 on every projection) and activation checkpointing, and sampling.
    /// </summary>
    public static IReadOnlyList<string> Scenarios { get; } = ["bradley-terry", "sft", "dpo", "sft-lora", "sampling"];

    /// <summary>The adapters of the sft-lora scenario: the paper preset's.</summary>
    static readonly LoraConfig PaperLora = new() { Rank = 16, Alpha = 32 };

    /// <summary>The MiniWorld models and two random Llama configs (34 M and 91 M parameters, the first with grouped-query attention).</summary>
    public static IReadOnlyList<ProbeSize> Sizes { get; } =
    [
        new("miniworld-smoke", MiniWorldModel.Smoke.Model, Batch: 8, Length: 256, SampleRows: 32, PromptTokens: 128, NewTokens: 64, SamplesPerPrompt: 4),
        new("miniworld-default", MiniWorldModel.Default.Model, Batch: 8, Length: 256, SampleRows: 32, PromptTokens: 128, NewTokens: 64, SamplesPerPrompt: 4),
        new("llama-34m", RandomLlama(hidden: 384, layers: 6, heads: 6, keyValueHeads: 2, intermediate: 1024), Batch: 4, Length: 256, SampleRows: 16, PromptTokens: 128, NewTokens: 32, SamplesPerPrompt: 4),
        new("llama-91m", RandomLlama(hidden: 640, layers: 10, heads: 10, keyValueHeads: 10, intermediate: 1728), Batch: 2, Length: 256, SampleRows: 8, PromptTokens: 128, NewTokens: 32, SamplesPerPrompt: 4),
    ];

    static ModelConfig RandomLlama(int hidden, int layers, int heads, int keyValueHeads, int intermediate) => new ModelConfig
    {
        ModelType = "llama",
        VocabSize = 32000,
        HiddenSize = hidden,
        IntermediateSize = intermediate,
        NumHiddenLayers = layers,
        NumAttentionHeads = heads,
        NumKeyValueHeads = keyValueHeads,
        MaxPositionEmbeddings = 2048,
    }.Validated();

    /// <summary>The phase the plan estimates for <paramref name="scenario"/>: one model in memory, as in the probe.</summary>
    public static PhaseWorkload Workload(ProbeSize size, string scenario)
    {
        ArgumentNullException.ThrowIfNull(size);
        // One model, trained; the loss reads the completion: the second half of each row.
        int reply = size.Length - size.Length / 2;
        var training = new PhaseWorkload(scenario, PhaseKind.Train, size.Batch, size.Length) { BaseCopy = false, TrainedCopy = true, LossTokens = reply };
        return scenario switch
        {
            "bradley-terry" => training with { Rows = 2 * size.Batch, RewardLabels = 1, LossTokens = null },
            "sft" or "sft-lora" => training,
            // Every pair fits, so each is one row: the prompt, then both replies (SharedPromptBatch).
            "dpo" => training with { Length = size.Length + reply, LossTokens = 2 * reply, SharedPrompt = true },
            "sampling" => new PhaseWorkload(scenario, PhaseKind.Sample, size.SampleRows, size.PromptTokens + size.NewTokens)
            { NewTokens = size.NewTokens, SamplesPerPrompt = size.SamplesPerPrompt },
            _ => throw new BadInputException($"unknown measurement scenario '{scenario}'; use {string.Join(", ", Scenarios)}."),
        };
    }

    /// <summary>The plan's peak for the case (fp32 weights; full fine-tuning, or sft-lora's adapters and checkpointing) with <paramref name="attention"/>.</summary>
    public static PlanMoment Estimate(ProbeSize size, string scenario, AttentionKernel attention)
    {
        ArgumentNullException.ThrowIfNull(size);
        bool lora = scenario == "sft-lora";
        var options = new PlanOptions
        {
            Model = size.Config,
            Attention = attention,
            Lora = lora ? new PlanLora(PaperLora.Rank, PaperLora.TargetModules) : null,
            Checkpointing = lora,
            OnCpu = true,
        };
        return PhaseMemory.Moments(Workload(size, scenario), options).MaxBy(m => m.Parts.Total)!;
    }

    /// <summary>Runs one case in this process; returns (baseline resident bytes, peak resident bytes above it).</summary>
    public static (long Baseline, long Peak) Measure(ProbeSize size, string scenario)
    {
        ArgumentNullException.ThrowIfNull(size);
        Workload(size, scenario);  // validates the scenario
        Runtime.TorchRuntime.EnsureLoaded();
        // The same code once on a model of a few thousand parameters: what the first run maps and
        // compiles (JIT code, libtorch kernels and thread pools, about 30 MB) belongs to the process, not to the model.
        Run(size with { Config = size.Config with { HiddenSize = 16, IntermediateSize = 32, NumHiddenLayers = 1, NumAttentionHeads = 2, NumKeyValueHeads = 2, HeadDim = 8 },
            Batch = 1, Length = 8, SampleRows = size.SamplesPerPrompt, PromptTokens = 4, NewTokens = 2 }, scenario);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long baseline = Resident("VmRSS");
        ResetHighWaterMark();
        Run(size, scenario);
        return (baseline, Resident("VmHWM") - baseline);
    }

    static void Run(ProbeSize size, string scenario)
    {
        var random = new Random(1);
        int[] Tokens(int count) => [.. Enumerable.Range(0, count).Select(_ => random.Next(3, size.Config.VocabSize))];
        int half = size.Length / 2;
        var training = new TrainingConfig { Optimizer = new OptimizerConfig { LearningRate = 1e-5 }, BatchSize = size.Batch, MaxLength = size.Length, Epochs = 1 };
        PreferenceExample[] Pairs() => [.. Enumerable.Range(0, 2 * size.Batch).Select(_ => new PreferenceExample(Tokens(half), Tokens(size.Length - half), Tokens(size.Length - half)))];
        switch (scenario)
        {
            case "bradley-terry":
                using (var model = new LanguageModel(size.Config with { NumLabels = 1 }, seed: 1))
                    new RewardModelTrainer(model, new RewardModelTrainerConfig { Training = training }, padId: 0).Train(Pairs());
                break;
            case "sft" or "sft-lora":
                if (scenario == "sft-lora") training = training with { Lora = PaperLora, GradientCheckpointing = true };
                using (var model = new LanguageModel(size.Config, seed: 1))
                    new SftTrainer(model, new SftTrainerConfig { Training = training }, padId: 0)
                        .Train([.. Enumerable.Range(0, 2 * size.Batch).Select(_ => new SftExample(Tokens(half), Tokens(size.Length - half)))]);
                break;
            case "dpo":
                using (var model = new LanguageModel(size.Config, seed: 1))
                    new DpoTrainer(model, new DpoTrainerConfig { Training = training }, padId: 0).Train([.. Pairs().Select(p => new DpoExample(p, -1, -1))]);
                break;
            default:
                using (var model = new LanguageModel(size.Config, seed: 1))
                {
                    // Prompts of a few lengths, so the batch is left-padded as real prompts are.
                    int[][] prompts = [.. Enumerable.Range(0, size.SampleRows / size.SamplesPerPrompt).Select(i => Tokens(size.PromptTokens - i % 4))];
                    var options = new GenerationOptions { MaxNewTokens = size.NewTokens, TopP = 0.95, EosIds = [], Seed = 1 };
                    RationaleSampler.Sample(model, new IdTokenizer(size.Config.VocabSize), prompts, size.SamplesPerPrompt, options, size.SampleRows);
                }
                break;
        }
    }

    static long Resident(string field) => DeviceMemory.ReadMemInfo("/proc/self/status", field)
        ?? throw new InvalidOperationException($"/proc/self/status has no {field} line (Linux only).");

    /// <summary>Writing 5 to clear_refs resets VmHWM to the current resident size (Linux 4.0+); without it the peak still includes nothing higher than the tiny warm-up run.</summary>
    static void ResetHighWaterMark()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Kept: the warm-up's own peak is small beside a model's.
        }
    }

    /// <summary>Token ids written as numbers: sampling needs a tokenizer only to decode what it drew.</summary>
    sealed class IdTokenizer(int vocabulary) : ITokenizer
    {
        public int VocabSize => vocabulary;
        public int? BosId => null;
        public IReadOnlyList<int> EosIds => [];
        public int PadId => 0;
        public int[] Encode(string text, bool addSpecialTokens = false) => [.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)];
        public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false) => string.Join(' ', ids.ToArray());
        public int? TokenToId(string token) => int.TryParse(token, out int id) ? id : null;
    }
}
