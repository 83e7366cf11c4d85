using System.Text.Json;
using System.Text.Json.Serialization;

namespace GenRM.Experiments;

/// <summary>
/// One study: where the data and the base model come from, which methods run, and the settings
/// every method shares. Presets are instances of this record; a JSON file with the same fields
/// is a preset too. Every method gets the same fine-tuning settings, except the rationalizer's
/// learning rate, which the paper sets apart (2e-5 against 1e-6).
/// </summary>
public sealed record ExperimentSpec
{
    public string Preset { get; init; } = "custom";
    public int Seed { get; init; } = 1;
    /// <summary>cpu, cuda, cuda:N or auto (CUDA when available); results.json records the device it resolved to.</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>libtorch threads (0: libtorch's default).</summary>
    public int Threads { get; init; }
    /// <summary>
    /// Methods run at once, each on its own thread with an equal share of <see cref="Threads"/> (1:
    /// one after another). A method's numbers depend on the threads it gets, not on its neighbours.
    /// </summary>
    public int Workers { get; init; } = 1;
    public IReadOnlyList<string> Methods { get; init; } = Reporting.StudyOrder.Methods;
    /// <summary>MiniWorld as the data and its pretrained base model; null for a study on files.</summary>
    public MiniWorldStudy? MiniWorld { get; init; }
    /// <summary>A study on real data and a Hugging Face model (the paper's setting); null for MiniWorld.</summary>
    public FileStudy? Files { get; init; }
    public FineTuneSettings FineTune { get; init; } = new();
    public StarSettings Star { get; init; } = new();
    public EvaluationSettings Evaluation { get; init; } = new();
    /// <summary>An inference engine for STaR's sampling and the chain-of-thought judges' votes; null: the model in this process.</summary>
    public SamplerSettings? Sampler { get; init; }

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a spec file; unknown fields and wrong types are errors naming the file.</summary>
    public static ExperimentSpec Load(string path)
    {
        try
        {
            var spec = JsonSerializer.Deserialize<ExperimentSpec>(File.ReadAllText(path), Json)
                ?? throw BadInputException.About(path, "the spec is empty.");
            return spec.WithFilesInside(path).Validated(path);
        }
        catch (JsonException e)
        {
            throw BadInputException.About(path, $"not a valid experiment spec ({e.Message}).");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw BadInputException.About(path, "no such spec file.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw BadInputException.About(path, $"cannot be read ({e.Message}).");
        }
    }

    /// <summary>
    /// Resolves the relative data paths of a spec file against the file's own folder, refusing any
    /// that leads out of it through <c>..</c>: a spec received from someone else cannot point the run
    /// at files elsewhere on this machine unless it names them by absolute path, in plain sight.
    /// </summary>
    ExperimentSpec WithFilesInside(string specPath)
    {
        if (Files is not { } files) return this;
        string folder = Path.GetDirectoryName(Path.GetFullPath(specPath))!;
        string? Inside(string? value, string field)
        {
            if (value is null || Path.IsPathRooted(value)) return value;
            string resolved = Path.GetFullPath(Path.Combine(folder, value));
            if (!resolved.StartsWith(Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw BadInputException.About(specPath, $"'{value}' leads outside the spec's folder ({folder}) through '..'; give an absolute path to use data elsewhere.", $"files.{field}");
            return resolved;
        }
        return this with
        {
            Files = files with
            {
                BaseModel = Inside(files.BaseModel, "base_model"),
                Train = Inside(files.Train, "train"),
                Test = Inside(files.Test, "test"),
                OutOfDistribution = Inside(files.OutOfDistribution, "out_of_distribution"),
            },
        };
    }

    /// <summary>Checks the spec as a whole; <paramref name="source"/> names it in errors.</summary>
    public ExperimentSpec Validated(string source)
    {
        if (!Runtime.TorchRuntime.IsDeviceName(Device))
            throw BadInputException.About(source, $"unknown device '{Device}'; use {Runtime.TorchRuntime.DeviceNames}.");
        if ((MiniWorld is null) == (Files is null))
            throw BadInputException.About(source, "give exactly one of mini_world and files.");
        var unknown = Methods.Where(m => !Reporting.StudyOrder.Methods.Contains(m)).ToArray();
        if (unknown.Length > 0)
            throw BadInputException.About(source, $"unknown method(s) {string.Join(", ", unknown)}; known: {string.Join(", ", Reporting.StudyOrder.Methods)}.");
        if (Methods.Count == 0) throw BadInputException.About(source, "no methods to run.");
        if (Workers < 1) throw BadInputException.About(source, $"workers must be at least 1 (got {Workers}).", "workers");
        if (FineTune.LearningRate <= 0 || FineTune.RationalizerLearningRate <= 0 || FineTune.Epochs < 1 || FineTune.BatchSize < 1)
            throw BadInputException.About(source, "fine_tune needs positive learning rates, epochs and batch size.");
        if (Star.Iterations < 1 || Star.SamplesPerItem < 1 || Star.DpoPairsPerItem < 1 || Evaluation.Votes < 1)
            throw BadInputException.About(source, "star iterations, samples per item, DPO pairs per item and evaluation votes must be at least 1.");
        if (FineTune.OptimizerSteps < 0 || (FineTune.OptimizerSteps > 0 && FineTune.OptimizerSteps < Star.Iterations))
            throw BadInputException.About(source, $"fine_tune.optimizer_steps must be 0 (epochs decide) or at least one per STaR iteration ({Star.Iterations}).");
        if (Sampler is { } sampler)
        {
            try
            {
                Remote.ChatEndpoint.Parse(sampler.Url, sampler.Model ?? "base");
            }
            catch (BadInputException e)
            {
                throw BadInputException.About(source, e.Message, "sampler.url");
            }
            if (sampler.Concurrency < 1) throw BadInputException.About(source, $"must be at least 1 (got {sampler.Concurrency}).", "sampler.concurrency");
            // Full fine-tuning hands the engine whole checkpoints: it holds one method's weights at a time.
            if (FineTune.Lora is null && Workers > 1 && Methods.Count > 1)
                throw BadInputException.About(source, "a sampler serving fully fine-tuned weights holds one method's weights at a time; use workers 1, or LoRA (fine_tune.lora).", "sampler");
        }
        return this;
    }
}

/// <summary>MiniWorld: the world's size preset and its base model (data/miniworld/&lt;model&gt;, pretrained when missing).</summary>
public sealed record MiniWorldStudy
{
    /// <summary>smoke or default: the world's sizes and the base model's size.</summary>
    public string Size { get; init; } = "default";
    /// <summary>Pretrain the base model again instead of loading the committed one.</summary>
    public bool Repretrain { get; init; }
}

/// <summary>Real preference files and a Hugging Face model folder (Llama 3.x, Qwen2, Mistral).</summary>
public sealed record FileStudy
{
    public string? BaseModel { get; init; }
    /// <summary>Training pairs (UltraFeedback binarized train_prefs in the paper).</summary>
    public string? Train { get; init; }
    /// <summary>In-distribution test pairs (UltraFeedback test_prefs).</summary>
    public string? Test { get; init; }
    /// <summary>Out-of-distribution pairs with RewardBench subsets (RewardBench's filtered split).</summary>
    public string? OutOfDistribution { get; init; }
    /// <summary>Weights in bf16 (fp32 master copies while training).</summary>
    public bool Bfloat16 { get; init; } = true;
    /// <summary>
    /// Keyword arguments of the base model's chat template, as <c>apply_chat_template</c> passes them
    /// (e.g. <c>{"enable_thinking": false}</c> for Qwen3); they shape every prompt and training sequence.
    /// </summary>
    public IReadOnlyDictionary<string, System.Text.Json.JsonElement>? TemplateArguments { get; init; }
}

/// <summary>Fine-tuning shared by BT, PairRM, GenRM and the STaR methods (PAPER.md: AdamW 0.9/0.95, decay 0.1, cosine, 10 % warm-up).</summary>
public sealed record FineTuneSettings
{
    public double LearningRate { get; init; } = 1e-6;
    public double RationalizerLearningRate { get; init; } = 2e-5;
    public int Epochs { get; init; } = 3;
    /// <summary>
    /// Optimizer steps every trained method makes in all (a STaR method spreads them over its
    /// iterations), as many epochs as that takes; 0: <see cref="Epochs"/> epochs each. A fair budget
    /// when the methods' data differ in size (BT sees each pair once, GenRM both orders, STaR what it keeps).
    /// </summary>
    public int OptimizerSteps { get; init; }
    public int BatchSize { get; init; } = 8;
    public int GradientAccumulation { get; init; } = 1;
    public int MaxLength { get; init; } = 4096;
    public double WeightDecay { get; init; } = 0.1;
    public double WarmupRatio { get; init; } = 0.1;
    /// <summary>Write a training checkpoint every this many steps (0: at the end of each training run).</summary>
    public int CheckpointEvery { get; init; }
    /// <summary>Train LoRA adapters (and the reward heads) instead of every weight; null: full fine-tuning.</summary>
    public Modeling.Lora.LoraConfig? Lora { get; init; }
    /// <summary>Recompute each layer's activations in the backward pass (activation checkpointing); written only when on.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool GradientCheckpointing { get; init; }
}

/// <summary>The STaR loop: iterations, samples per item, sampling, DPO's β.</summary>
public sealed record StarSettings
{
    public int Iterations { get; init; } = 3;
    public int SamplesPerItem { get; init; } = 4;
    public double Temperature { get; init; } = 1.0;
    public double TopP { get; init; } = 0.95;
    public int MaxRationaleTokens { get; init; } = 1024;
    public double DpoBeta { get; init; } = 1.0;
    /// <summary>At most this many (right, wrong) rationale pairs per item for STaR-DPO.</summary>
    public int DpoPairsPerItem { get; init; } = 2;
    /// <summary>
    /// Restart each iteration from the base model and train on every iteration's data so far (the
    /// original STaR), instead of continuing from the latest model on this iteration's data (the
    /// GenRM paper is silent; see the README).
    /// </summary>
    public bool RestartFromBase { get; init; }
    /// <summary>Weight of the chosen-NLL term added to DPO (0: the paper's pure DPO).</summary>
    public double DpoChosenNllWeight { get; init; }
}

/// <summary>How judges are evaluated.</summary>
public sealed record EvaluationSettings
{
    /// <summary>Sampled verdicts per item in the chain-of-thought majority vote (the paper: 32).</summary>
    public int Votes { get; init; } = 32;
    /// <summary>Sequences per forward pass when judging.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>In-distribution test items judged in both orders for the position-bias figures (0: none).</summary>
    public int PositionBiasItems { get; init; } = 200;
    /// <summary>Training-distribution items held out to score each STaR iteration.</summary>
    public int HeldOutItems { get; init; } = 200;
}
