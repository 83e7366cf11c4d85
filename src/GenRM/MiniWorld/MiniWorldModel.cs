using GenRM.Modeling;

namespace GenRM.MiniWorld;

/// <summary>A named size of the MiniWorld base model: its shape, how it is pretrained and on what corpus, its world, and how many items its card measures.</summary>
public sealed record MiniWorldModelPreset(string Name, ModelConfig Model, PretrainingConfig Pretraining, MiniWorldConfig World, CorpusMix Corpus, int ProbeItems);

/// <summary>
/// The MiniWorld base model's shapes: a Llama decoder over the 102 character ids, untied
/// embeddings, plain multi-head attention, a 4× SwiGLU width. The context is
/// <see cref="ContextLength"/>: the longest world sequence (a rationalizer judge prompt with its
/// reply, ~406 tokens in the default world, <see cref="MiniWorldLengths"/>) plus slack.
/// </summary>
public static class MiniWorldModel
{
    /// <summary>Positions every preset has.</summary>
    public const int ContextLength = 512;

    /// <summary>Preset names, as the command line takes them.</summary>
    public const string SmokeName = "smoke", DefaultName = "default";

    /// <summary>0.61 M parameters (width 96, 4 layers): a model for wiring tests, whose abilities its card states.</summary>
    public static MiniWorldModelPreset Smoke { get; } = new(SmokeName, Llama(hidden: 96, layers: 4, heads: 4), PretrainingConfig.Smoke, MiniWorldConfig.Smoke, CorpusMix.Default, ProbeItems: 32);

    /// <summary>
    /// 1.08 M parameters (width 128, 4 layers), below the 2-4 M first planned: the default study
    /// trains and samples it many times within 15 minutes on 2 cores. On the first MiniWorld's
    /// corpus, sums came as a sudden jump between 3.3 M and 4.9 M tokens; its card
    /// (<see cref="BaseModelCard"/>, beside the committed weights) says what it can do now.
    /// </summary>
    public static MiniWorldModelPreset Default { get; } = new(DefaultName, Llama(hidden: 128, layers: 4, heads: 4), PretrainingConfig.Default, MiniWorldConfig.Default, CorpusMix.Default, ProbeItems: 200);

    /// <summary>The preset named <paramref name="name"/> (smoke or default).</summary>
    /// <exception cref="BadInputException">Another name.</exception>
    public static MiniWorldModelPreset Preset(string name) => name switch
    {
        SmokeName => Smoke,
        DefaultName => Default,
        _ => throw new BadInputException($"no MiniWorld model preset '{name}' (presets: {SmokeName}, {DefaultName})"),
    };

    static ModelConfig Llama(int hidden, int layers, int heads)
    {
        var tokenizer = new MiniWorldTokenizer();
        return new ModelConfig
        {
            ModelType = "llama",
            VocabSize = tokenizer.VocabSize,
            HiddenSize = hidden,
            IntermediateSize = 4 * hidden,
            NumHiddenLayers = layers,
            NumAttentionHeads = heads,
            NumKeyValueHeads = heads,
            MaxPositionEmbeddings = ContextLength,
            BosTokenId = tokenizer.BosId,
            EosTokenIds = tokenizer.EosIds,
            PadTokenId = tokenizer.PadId,
        }.Validated();
    }
}
