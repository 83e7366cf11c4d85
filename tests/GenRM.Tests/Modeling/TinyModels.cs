using GenRM.Modeling;
using GenRM.Text;

namespace GenRM.Tests.Modeling;

/// <summary>Small random models and a byte tokenizer for tests that need a model but no training.</summary>
internal static class TinyModels
{
    public static ModelConfig Config(int kvHeads = 2, bool tied = false, bool bias = false, int labels = 0, string type = "llama") => new()
    {
        ModelType = type,
        VocabSize = ByteTokenizer.Size,
        HiddenSize = 32,
        IntermediateSize = 64,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = kvHeads,
        MaxPositionEmbeddings = 256,
        TieWordEmbeddings = tied,
        AttentionBias = bias,
        NumLabels = labels,
        EosTokenIds = [ByteTokenizer.Eos],
    };

    // Weights drawn with std 0.02 give nearly flat logits; larger ones make greedy choices and
    // masks matter, which is what parity tests need to see.
    public static LanguageModel Create(ModelConfig config, long seed = 1)
    {
        var model = new LanguageModel(config, seed);
        using var noGrad = TorchSharp.torch.no_grad();
        foreach (var (name, p) in model.named_parameters())
            if (!name.Contains("norm", StringComparison.Ordinal)) p.mul_(15);
        return model;
    }
}

/// <summary>UTF-8 bytes as ids 0-255, plus EOS 256 and PAD 257: enough to generate and decode in tests.</summary>
internal sealed class ByteTokenizer : ITokenizer
{
    public const int Eos = 256;
    public const int Pad = 257;
    public const int Size = 258;

    public int VocabSize => Size;
    public int? BosId => null;
    public IReadOnlyList<int> EosIds => [Eos];
    public int PadId => Pad;

    public int[] Encode(string text) => System.Text.Encoding.UTF8.GetBytes(text).Select(b => (int)b).ToArray();

    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false)
    {
        var bytes = new List<byte>();
        foreach (int id in ids)
            if (id < 256) bytes.Add((byte)id);
        return System.Text.Encoding.UTF8.GetString(bytes.ToArray());
    }

    public int? TokenToId(string token) => null;
}
