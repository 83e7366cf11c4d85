using GenRM.Data;
using GenRM.Generation;
using GenRM.Judging;
using GenRM.Modeling;
using GenRM.Modeling.Lora;

namespace GenRM.Remote;

/// <summary>
/// One method's continuations from an inference engine whose weights follow the model trained in
/// this process. It starts on the engine's base model; after each training round
/// <see cref="Follow"/> hands the engine the new weights (a LoRA adapter in PEFT's layout, loaded
/// under a new name while the previous one is unloaded, or a full checkpoint folder the engine
/// reloads its base weights from), and later requests name them. <see cref="Serving"/> says which
/// weights answer now.
/// </summary>
public sealed class EngineSampler : ICompletionSource, IDisposable
{
    readonly EngineClient engine;
    readonly string label;
    readonly Action<LanguageModel, string> saveCheckpoint;
    readonly RemoteSamplingConfig config;
    readonly TextWriter? log;
    ChatClientCompletionSource current;

    EngineSampler(EngineClient engine, string label, Action<LanguageModel, string> saveCheckpoint, RemoteSamplingConfig config, TextWriter? log)
    {
        (this.engine, this.label, this.saveCheckpoint, this.config, this.log) = (engine, label, saveCheckpoint, config, log);
        Serving = EngineWeights.Base(engine);
        current = ChatClientCompletionSource.Create(engine.Endpoint, config);
    }

    /// <summary>
    /// A sampler for the method <paramref name="label"/> on <paramref name="engine"/>'s base model. An engine
    /// left holding another method's full checkpoint is first reloaded from <paramref name="baseFolder"/>.
    /// <paramref name="saveCheckpoint"/> writes a full model folder the engine can load.
    /// </summary>
    public static EngineSampler Start(EngineClient engine, string label, string baseFolder, Action<LanguageModel, string> saveCheckpoint,
        RemoteSamplingConfig? config = null, TextWriter? log = null)
    {
        if (engine.ReloadedFrom is not null)
        {
            string reply = engine.UpdateWeightsFromDisk(Path.GetFullPath(baseFolder), isBase: true);
            log?.WriteLine($"[{label}] sampler {engine.Endpoint.BaseUrl}: base weights reloaded from {baseFolder} ({reply})");
        }
        return new EngineSampler(engine, label, saveCheckpoint, config ?? new RemoteSamplingConfig(), log);
    }

    /// <summary>The engine, model name and weights that answer requests now.</summary>
    public EngineWeights Serving { get; private set; }

    public string Source => Serving.ToString();

    /// <summary>What has been asked of the engine under the current weights.</summary>
    public EndpointUsage Usage => current.Usage;

    /// <summary>
    /// Hands the engine <paramref name="model"/>'s weights after training round <paramref name="round"/>,
    /// written under <paramref name="folder"/>: its LoRA adapters when it has them (then the previous
    /// adapter of this sampler is unloaded), else a full checkpoint the engine reloads. Returns what serves now.
    /// </summary>
    public EngineWeights Follow(LanguageModel model, string folder, int round)
    {
        string reply;
        if (model.Lora is not null)
        {
            string name = $"{label}-iteration-{round}";
            string path = Path.GetFullPath(Path.Combine(folder, "adapter"));
            LoraAdapterFiles.Save(model, path, engine.Endpoint.Model);
            // An adapter of this name left by an earlier run on the same engine holds other weights.
            if (engine.ListModels().Any(m => m.Id == name)) engine.UnloadLoraAdapter(name);
            reply = engine.LoadLoraAdapter(name, path);
            if (Serving.Kind == EngineWeights.LoraKind) engine.UnloadLoraAdapter(Serving.Model);
            Serving = new EngineWeights(engine.Endpoint.BaseUrl.ToString(), name, EngineWeights.LoraKind, path);
        }
        else
        {
            string path = Path.GetFullPath(Path.Combine(folder, "checkpoint"));
            saveCheckpoint(model, path);
            reply = engine.UpdateWeightsFromDisk(path);
            Serving = new EngineWeights(engine.Endpoint.BaseUrl.ToString(), engine.Endpoint.Model, EngineWeights.CheckpointKind, path);
        }
        current.Dispose();
        current = ChatClientCompletionSource.Create(engine.Endpoint with { Model = Serving.Model }, config);
        log?.WriteLine($"[{label}] sampler now serves {Serving} (engine: {reply})");
        return Serving;
    }

    public IReadOnlyList<string> Sample(IReadOnlyList<IReadOnlyList<ChatMessage>> prompts, int samples, GenerationOptions options, CancellationToken cancellation = default) =>
        current.Sample(prompts, samples, options, cancellation);

    public IReadOnlyList<double> VerdictProbabilities(IReadOnlyList<IReadOnlyList<ChatMessage>> prompts, string replyA, string replyB, CancellationToken cancellation = default) =>
        current.VerdictProbabilities(prompts, replyA, replyB, cancellation);

    public void Dispose() => current.Dispose();
}

/// <summary>
/// Which weights an engine answered with: its base URL, the model name requests gave, the kind
/// (<see cref="BaseKind"/>, <see cref="LoraKind"/> or <see cref="CheckpointKind"/>), and the folder the
/// weights were loaded from (null for the base model the engine was started with).
/// </summary>
public sealed record EngineWeights(string Engine, string Model, string Kind, string? Path)
{
    public const string BaseKind = "base", LoraKind = "lora-adapter", CheckpointKind = "full-checkpoint";

    /// <summary>The base model <paramref name="engine"/> serves, as it was started (or reloaded to).</summary>
    public static EngineWeights Base(EngineClient engine) => new(engine.Endpoint.BaseUrl.ToString(), engine.Endpoint.Model, BaseKind, null);

    public override string ToString() => $"{Engine} (model {Model}, {Kind}{(Path is null ? "" : $" {Path}")})";
}
