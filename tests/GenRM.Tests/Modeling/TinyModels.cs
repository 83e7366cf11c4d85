using GenRM.Generation;
using GenRM.Modeling;
using GenRM.Text;
using static TorchSharp.torch;

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

    /// <summary>A batch of equally long rows of token ids.</summary>
    public static Tensor Ids(params long[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);

    /// <summary>
    /// Feeds <paramref name="ids"/> through one KV cache in pieces of the given lengths (the rest one
    /// token at a time) and asserts that every real position's logits equal the full forward's.
    /// </summary>
    public static void AssertCachedPiecesEqualFullForward(LanguageModel model, Tensor ids, Tensor mask, params int[] pieceLengths)
    {
        Tensor full = model.Forward(ids, mask);
        int length = (int)ids.shape[1];
        using var cache = new KvCache(model.Config, (int)ids.shape[0], length, ScalarType.Float32, CPU);
        var pieces = new List<Tensor>();
        int start = 0;
        foreach (int piece in pieceLengths.Concat(Enumerable.Repeat(1, length)))
        {
            if (start == length) break;
            pieces.Add(model.Forward(ids.narrow(1, start, piece), mask.narrow(1, start, piece), cache));
            start += piece;
        }
        Tensor real = mask.to(ScalarType.Bool).unsqueeze(-1);
        Assert.True(full.masked_select(real).allclose(cat(pieces, 1).masked_select(real), rtol: 0, atol: 1e-4));
    }

    /// <summary>Generation with the KV cache gives the tokens (and log-probabilities within 1e-4) of recomputing every step, greedy or seeded sampling alike.</summary>
    public static IReadOnlyList<Completion> AssertCachedEqualsRecomputed(TextGenerator generator, int[][] prompts, GenerationOptions options)
    {
        var cached = generator.Generate(prompts, options);
        AssertSameContinuations(generator.Generate(prompts, options with { UseKvCache = false }), cached);
        return cached;
    }

    /// <summary>The same tokens row by row, and log-probabilities within 1e-4.</summary>
    public static void AssertSameContinuations(IReadOnlyList<Completion> expected, IReadOnlyList<Completion> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].TokenIds, actual[i].TokenIds);
            for (int t = 0; t < actual[i].TokenLogProbs.Length; t++)
                Assert.Equal(expected[i].TokenLogProbs[t], actual[i].TokenLogProbs[t], 1e-4);
        }
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

    public int[] Encode(string text, bool addSpecialTokens = false) => System.Text.Encoding.UTF8.GetBytes(text).Select(b => (int)b).ToArray();

    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false)
    {
        var bytes = new List<byte>();
        foreach (int id in ids)
            if (id < 256) bytes.Add((byte)id);
        return System.Text.Encoding.UTF8.GetString(bytes.ToArray());
    }

    public int? TokenToId(string token) => null;
}
