using GenRM.Modeling.Lora;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GenRM.Modeling;

/// <summary>
/// A Llama-family causal language model (<c>model.*</c> and <c>lm_head.weight</c>, as
/// transformers' LlamaForCausalLM), with an optional reward head <c>score.weight</c> read on the
/// last real token of each sequence (as LlamaForSequenceClassification). One class serves as
/// policy, judge and reward-model backbone; the head is part of the state dict, so it is saved and
/// loaded with the weights and never dropped silently.
/// </summary>
public sealed class LanguageModel : nn.Module
{
    [ComponentName(Name = "model")]
    readonly LlamaModel model;
    [ComponentName(Name = "lm_head")]
    readonly Linear? lmHead;
    [ComponentName(Name = "score")]
    readonly Linear? score;

    public ModelConfig Config { get; }

    /// <summary>Builds a model with weights drawn from <paramref name="seed"/> (normal, std 0.02; norms, q/k norms included, 1; biases 0), fp32 on the CPU.</summary>
    public LanguageModel(ModelConfig config, long seed = 0) : this(config, device: null) => Initialize(seed);

    // device null: the modules' own CPU fp32 tensors (then initialised); META: placeholders that
    // allocate nothing, each replaced in FromWeights.
    LanguageModel(ModelConfig config, Device? device) : base(nameof(LanguageModel))
    {
        Config = config.Validated();
        Runtime.TorchRuntime.EnsureLoaded();
        model = new LlamaModel(config, device);
        if (!config.TieWordEmbeddings)
            lmHead = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false, device: device);
        if (config.NumLabels > 0)
            score = nn.Linear(config.HiddenSize, config.NumLabels, hasBias: false, device: device);
        RegisterComponents();
    }

    /// <summary>
    /// A model of <paramref name="config"/> whose every parameter is the tensor <paramref name="weights"/>
    /// returns for its name (a new tensor the model then owns): the weights are created once, in the
    /// dtype and on the device they will live in, with no random initialisation. The modules are first
    /// laid out on the meta device, which allocates nothing; <paramref name="validateShapes"/> sees
    /// the expected shapes before any weight is read.
    /// </summary>
    internal static LanguageModel FromWeights(ModelConfig config, Func<string, Tensor> weights,
        Action<IReadOnlyDictionary<string, long[]>>? validateShapes = null)
    {
        var built = new LanguageModel(config, META);
        try
        {
            var placeholders = built.named_parameters().ToArray();
            validateShapes?.Invoke(placeholders.ToDictionary(p => p.name, p => p.parameter.shape, StringComparer.Ordinal));
            var owners = built.named_modules().ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
            using var noGrad = no_grad();
            foreach (var (name, placeholder) in placeholders)
            {
                using var scope = NewDisposeScope();
                Tensor value = weights(name);
                if (!value.shape.SequenceEqual(placeholder.shape))
                    throw new InvalidOperationException($"{name}: got shape [{string.Join(", ", value.shape)}], the model needs [{string.Join(", ", placeholder.shape)}].");
                var parameter = (Parameter)new Parameter(value, requires_grad: true).DetachFromDisposeScope();
                int dot = name.LastIndexOf('.');
                Replace(owners[name[..dot]], name[(dot + 1)..], parameter);
            }
            return built;
        }
        catch
        {
            built.Dispose();
            throw;
        }
    }

    static void Replace(nn.Module owner, string leaf, Parameter value)
    {
        switch (owner, leaf)
        {
            case (Linear linear, "weight"): linear.weight = value; break;
            case (Linear linear, "bias"): linear.bias = value; break;
            case (Embedding embedding, "weight"): embedding.weight = value; break;
            case (RmsNorm norm, "weight"): norm.ReplaceWeight(value); break;
            default: throw new InvalidOperationException($"No way to set parameter '{leaf}' of a {owner.GetType().Name}.");
        }
    }

    public Device Device => model.EmbedTokens.weight!.device;

    public ScalarType DType => model.EmbedTokens.weight!.dtype;

    /// <summary>The LoRA adapters attached to the projections, or null when the model has none.</summary>
    public LoraAdapters? Lora { get; private set; }

    /// <summary>
    /// Recompute each decoder layer's activations in the backward pass instead of keeping them
    /// (activation checkpointing): the same gradients for about one layer's activations in memory.
    /// </summary>
    public bool GradientCheckpointing
    {
        get => model.CheckpointLayers;
        set => model.CheckpointLayers = value;
    }

    /// <summary>
    /// Attaches fresh LoRA adapters (<paramref name="seed"/> draws A; B is zero, so the outputs do not
    /// change) and freezes every base weight but the reward head, which is trained in full as PEFT's
    /// modules_to_save.
    /// </summary>
    public LoraAdapters AddLora(LoraConfig config, long seed)
    {
        if (Lora is not null) throw new InvalidOperationException("The model already has LoRA adapters.");
        foreach (var (name, parameter) in named_parameters())
            parameter.requires_grad = name.StartsWith("score.", StringComparison.Ordinal);
        return Lora = LoraAdapters.Attach(model.AdaptableModules("model."), config, seed);
    }

    /// <summary>Takes the adapters off (discarding them) and makes every weight trainable again.</summary>
    public void RemoveLora()
    {
        Lora?.Dispose();
        Lora = null;
        foreach (var (_, parameter) in named_parameters())
            parameter.requires_grad = true;
    }

    /// <summary>Folds the adapters into the projection weights (W += (α / r) B A) and removes them: the outputs stay the same.</summary>
    public void MergeLora()
    {
        if (Lora is null) return;
        RefuseWritesToSharedWeights("Merging the adapters");
        using (no_grad())
        {
            var weights = state_dict();
            foreach (var (name, merged) in Lora.MergedWeights())
                using (merged)
                    weights[name].copy_(merged);
        }
        RemoveLora();
    }

    /// <summary>The parameters an optimizer updates: every weight, or with LoRA the adapters and the reward head.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> TrainableParameters() =>
        named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter))
            .Concat(Lora?.NamedParameters() ?? []);

    /// <summary>The tensors a training checkpoint holds: the state dict, and the adapters under their paths.</summary>
    public Dictionary<string, Tensor> TrainingState()
    {
        var state = state_dict();
        foreach (var (name, parameter) in Lora?.NamedParameters() ?? [])
            state.Add(name, parameter);
        return state;
    }

    /// <summary>The count of parameters (tied embeddings counted once).</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    void Initialize(long seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        using Scalar one = 1.ToScalar();
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith("norm.weight", StringComparison.Ordinal))
                parameter.fill_(one);
            else if (name.EndsWith(".bias", StringComparison.Ordinal))
                parameter.zero_();
            else
                parameter.normal_(0.0, 0.02, generator);
        }
    }

    /// <summary>Final hidden states [batch, time, hidden] (see <see cref="LlamaModel.Forward"/>).</summary>
    public Tensor Hidden(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null) =>
        model.Forward(inputIds, attentionMask, cache);

    /// <summary>Next-token logits [batch, time, vocab] from hidden states.</summary>
    public Tensor Logits(Tensor hidden) =>
        lmHead is null ? nn.functional.linear(hidden, model.EmbedTokens.weight!) : lmHead.forward(hidden);

    /// <summary>Next-token logits [batch, time, vocab] for the tokens.</summary>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        return Logits(Hidden(inputIds, attentionMask, cache)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The reward head's output [batch, num_labels] on each row's last real token (the last
    /// position whose mask is 1, so right and left padding both work).
    /// </summary>
    public Tensor Scores(Tensor inputIds, Tensor? attentionMask = null)
    {
        if (score is null)
            throw new InvalidOperationException("This model has no reward head (num_labels is 0); build it with ModelConfig.NumLabels > 0 or WithRewardHead.");
        using var scope = NewDisposeScope();
        Tensor hidden = Hidden(inputIds, attentionMask);
        Tensor last = LastTokenIndex(inputIds, attentionMask);
        Tensor picked = hidden[arange(hidden.shape[0], device: hidden.device), last];
        return score.forward(picked).MoveToOuterDisposeScope();
    }

    /// <summary>Scalar rewards [batch] of a one-output head (Bradley-Terry).</summary>
    public Tensor Rewards(Tensor inputIds, Tensor? attentionMask = null)
    {
        using var scope = NewDisposeScope();
        return Scores(inputIds, attentionMask).select(1, 0).MoveToOuterDisposeScope();
    }

    static Tensor LastTokenIndex(Tensor inputIds, Tensor? attentionMask)
    {
        long time = inputIds.shape[1];
        if (attentionMask is null)
        {
            using Scalar last = (time - 1).ToScalar();
            return full(inputIds.shape[0], last, ScalarType.Int64, inputIds.device);
        }
        // The highest index whose mask is 1: argmax over mask * position finds it for either padding side.
        Tensor positions = arange(time, device: inputIds.device).unsqueeze(0);
        return (attentionMask.to(ScalarType.Int64) * positions.add(ones_like(positions), Scalars.One)).argmax(1);
    }

    /// <summary>
    /// Summed log-probability [batch] of the tokens whose <paramref name="completionMask"/> is 1,
    /// each predicted from the tokens before it: the prompt and the padding are masked out. The
    /// building block of DPO and of the verdict readout (see <see cref="CompletionLogProbs"/>).
    /// </summary>
    public Tensor SequenceLogProbs(Tensor inputIds, Tensor attentionMask, Tensor completionMask)
    {
        using var scope = NewDisposeScope();
        var (logProbs, rows) = CompletionLogProbs(inputIds, attentionMask, completionMask);
        using Scalar one = 1.ToScalar();
        return zeros(inputIds.shape[0], ScalarType.Float32, logProbs.device).index_add(0, rows, logProbs, one).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Rows of hidden states sent through the language-model head at once by
    /// <see cref="CompletionLogProbs"/>: by default as many as make 2^26 logits (256 MiB in fp32),
    /// e.g. 523 positions of Llama 3's 128,256-entry vocabulary.
    /// </summary>
    public long HeadChunkPositions
    {
        get => headChunkPositions ?? Math.Max(1, HeadChunkElements / Config.VocabSize);
        set => headChunkPositions = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), "at least one position.");
    }

    long? headChunkPositions;

    /// <summary>Logits per chunk of the head's default <see cref="HeadChunkPositions"/>.</summary>
    internal const long HeadChunkElements = 1L << 26;

    /// <summary>
    /// The log-probability [n], in fp32, of each token whose <paramref name="completionMask"/> is 1
    /// (row-major, the loss-masked tokens of SFT, DPO and GenRM), each predicted from the tokens
    /// before it, and the row [n] each belongs to. Only those positions go through the head, in chunks
    /// of <see cref="HeadChunkPositions"/> whose logits are recomputed in the backward pass: the
    /// [batch, time, vocab] logits never exist. Equal to <see cref="TokenLogProbs"/> on the full logits
    /// at those positions.
    /// </summary>
    public (Tensor LogProbs, Tensor Rows) CompletionLogProbs(Tensor inputIds, Tensor attentionMask, Tensor completionMask)
    {
        using var scope = NewDisposeScope();
        long rows = inputIds.shape[0], time = inputIds.shape[1];
        Tensor hidden = Hidden(inputIds, attentionMask);
        // Position t predicts token t + 1: the flat indices of positions whose next token is a completion token.
        Tensor predicts = cat([completionMask.narrow(1, 1, time - 1), zeros(rows, 1, completionMask.dtype, completionMask.device)], 1);
        Tensor positions = predicts.reshape(-1).nonzero().squeeze(1);
        Tensor logProbs = PredictedLogProbs(hidden, inputIds, positions, positions.add(Scalars.One, Scalars.One));
        using Scalar width = time.ToScalar();
        return (logProbs.MoveToOuterDisposeScope(), positions.div(width, RoundingMode.floor).MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The log-probability [n], in fp32, of the tokens at flat (row-major) indices <paramref name="targets"/>
    /// of packed rows (see <see cref="LlamaModel.ForwardPacked"/>), each predicted from
    /// the hidden state at flat index <paramref name="sources"/>: in a row where two completions follow
    /// one prompt, both first tokens are predicted from the prompt's last token. Only those states go
    /// through the head, as in <see cref="CompletionLogProbs"/>.
    /// </summary>
    public Tensor PackedLogProbs(Tensor inputIds, Tensor positions, Tensor allowed, Tensor sources, Tensor targets)
    {
        using var scope = NewDisposeScope();
        return PredictedLogProbs(model.ForwardPacked(inputIds, positions, allowed), inputIds, sources, targets).MoveToOuterDisposeScope();
    }

    Tensor PredictedLogProbs(Tensor hidden, Tensor inputIds, Tensor sources, Tensor targets)
    {
        Tensor states = hidden.reshape(-1, hidden.shape[2]).index_select(0, sources);
        var head = lmHead?.weight ?? model.EmbedTokens.weight!;
        return ChunkedTokenLogProbs.Run(Logits, states, inputIds.reshape(-1).index_select(0, targets), HeadChunkPositions, head.requires_grad);
    }

    /// <summary>
    /// Log-probability [batch, time-1] of each token given the ones before it, from logits [batch, time, vocab], in fp32:
    /// the full-logits path (pretraining on short sequences, and the reference the chunked <see cref="CompletionLogProbs"/> is tested against).
    /// </summary>
    public static Tensor TokenLogProbs(Tensor logits, Tensor inputIds)
    {
        using var scope = NewDisposeScope();
        long time = logits.shape[1];
        Tensor predicted = logits.narrow(1, 0, time - 1).to(ScalarType.Float32);
        Tensor targets = inputIds.narrow(1, 1, time - 1).unsqueeze(-1);
        // gather − logsumexp avoids materialising a second vocabulary-sized tensor as log_softmax would.
        Tensor picked = predicted.gather(-1, targets).squeeze(-1);
        return (picked - predicted.logsumexp(-1)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A copy of this model with a fresh reward head of <paramref name="labels"/> outputs (normal, std
    /// 0.02, drawn from <paramref name="seed"/>), sharing no storage. The backbone is cloned where it
    /// lives, in its dtype: an 8 B model is never first rebuilt with random fp32 weights on the CPU.
    /// </summary>
    public LanguageModel WithRewardHead(int labels, long seed)
    {
        var source = state_dict();
        var config = Config with { NumLabels = labels };
        return FromWeights(config, name => name == "score.weight" ? RewardHead(config, seed) : source[name].detach().clone());
    }

    Tensor RewardHead(ModelConfig config, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        return empty(config.NumLabels, config.HiddenSize).normal_(0.0, 0.02, generator).to(DType).to(Device);
    }

    /// <summary>
    /// Overwrites every weight with <paramref name="source"/>'s (a model of the same config, without
    /// adapters), e.g. to start again from a base model; adapters this model has are removed, so it
    /// then computes what the source does.
    /// </summary>
    public void LoadWeightsFrom(LanguageModel source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Lora is not null) throw new ArgumentException("Merge or remove the source's LoRA adapters first.", nameof(source));
        RefuseWritesToSharedWeights("Loading other weights");
        RemoveLora();
        using var noGrad = no_grad();
        var weights = source.state_dict();
        foreach (var (name, target) in state_dict())
            target.copy_(weights[name]);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Lora?.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>
    /// The model a method trains, starting from this one: with <paramref name="lora"/>, a model over
    /// this one's own weight storage (nothing copied: adapter training leaves base weights frozen, so
    /// this model is unchanged, as PEFT trains on the loaded base); without, a deep copy. <paramref name="labels"/>
    /// above 0 gives it a fresh reward head of its own (drawn from <paramref name="seed"/>), as
    /// <see cref="WithRewardHead"/> does.
    /// </summary>
    public LanguageModel TrainingCopy(LoraConfig? lora, int labels = 0, long seed = 0)
    {
        if (lora is null) return labels > 0 ? WithRewardHead(labels, seed) : Clone();
        var source = state_dict();
        var config = Config with { NumLabels = labels };
        // detach(): a new tensor over the same storage, so the copy's requires_grad flags are its own.
        var copy = FromWeights(config, name => name == "score.weight" ? RewardHead(config, seed) : source[name].detach());
        copy.SharesBaseWeights = true;
        return copy;
    }

    /// <summary>
    /// This model's base weights are another model's storage (<see cref="TrainingCopy"/> with LoRA):
    /// they must stay frozen, so full fine-tuning, merging and overwriting them are refused.
    /// </summary>
    public bool SharesBaseWeights { get; private set; }

    void RefuseWritesToSharedWeights(string what)
    {
        if (SharesBaseWeights)
            throw new InvalidOperationException($"{what} would change the base model this one shares its weights with; make a deep copy (Clone) first.");
    }

    /// <summary>A deep copy (same config, same weights, same device and dtype; adapters not copied), for a DPO reference or an EMA.</summary>
    public LanguageModel Clone()
    {
        var source = state_dict();
        return FromWeights(Config, name => source[name].detach().clone());
    }
}
