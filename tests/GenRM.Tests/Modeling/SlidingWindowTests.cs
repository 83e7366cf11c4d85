using GenRM.Generation;
using GenRM.Modeling;
using static TorchSharp.torch;

namespace GenRM.Tests.Modeling;

/// <summary>
/// The sliding window: each token sees <c>sliding_window</c> tokens, itself included, on the layers
/// that slide; full forward, left-padded batches and cached decoding all agree.
/// </summary>
public sealed class SlidingWindowTests
{
    static readonly long[] Tokens = [5, 17, 99, 3, 42, 7, 120, 64, 200, 31, 77, 150, 9, 88];

    static Tensor Ids(params long[][] rows) => TinyModels.Ids(rows);

    static ModelConfig Mistral(int? window, int layers = 2) =>
        TinyModels.Config(type: "mistral") with { SlidingWindow = window, NumHiddenLayers = layers };

    [Fact]
    public void OneWindowedLayerAtPositionTEqualsTheFullModelOnTheLastWindowTokens()
    {
        // Rotary scores depend only on the distance between query and key, so with one layer the
        // output at t is what an unwindowed model gives for tokens t - window + 1 .. t alone: the
        // explicit band, computed without any band.
        using var scope = NewDisposeScope();
        const int window = 4;
        using var windowed = TinyModels.Create(Mistral(window, layers: 1));
        using var full = TinyModels.Create(Mistral(null, layers: 1));
        Tensor logits = windowed.Forward(Ids(Tokens))[0];
        for (int t = window; t < Tokens.Length; t++)
        {
            Tensor alone = full.Forward(Ids(Tokens[(t - window + 1)..(t + 1)]))[0, window - 1];
            Assert.True(logits[t].allclose(alone, rtol: 0, atol: 1e-4), $"position {t}");
        }
        Tensor unwindowed = full.Forward(Ids(Tokens))[0];
        Assert.True(logits.narrow(0, 0, window).allclose(unwindowed.narrow(0, 0, window), rtol: 0, atol: 1e-5));
        Assert.False(logits[^1].allclose(unwindowed[^1], rtol: 0, atol: 1e-3));
    }

    [Fact]
    public void ATokenReachesExactlyLayersTimesWindowMinusOnePositionsAhead()
    {
        // Two layers of window 3: position t sees t-2..t, each of which saw two back, so t-4 reaches t
        // and t-5 does not. A window off by one either way moves that edge.
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(Mistral(3));
        Tensor reference = model.Forward(Ids(Tokens))[0];
        const int changed = 4;
        long[] edited = (long[])Tokens.Clone();
        edited[changed] = 250;
        Tensor after = model.Forward(Ids(edited))[0];
        for (int t = changed; t < Tokens.Length; t++)
        {
            bool moved = !after[t].allclose(reference[t], rtol: 0, atol: 1e-5);
            Assert.True(moved == (t - changed <= 4), $"position {t}: changed {moved}");
        }
    }

    [Fact]
    public void AWindowAtLeastAsLongAsTheSequenceChangesNothing()
    {
        using var scope = NewDisposeScope();
        using var windowed = TinyModels.Create(Mistral(Tokens.Length));
        using var full = TinyModels.Create(Mistral(null));
        Assert.True(windowed.Forward(Ids(Tokens)).allclose(full.Forward(Ids(Tokens)), rtol: 0, atol: 0));
    }

    [Fact]
    public void OnlyLayersFromMaxWindowLayersSlide()
    {
        // qwen2: layer 0 full, layer 1 windowed: the first token still reaches the last through layer 0.
        using var scope = NewDisposeScope();
        var config = TinyModels.Config(type: "qwen2", bias: true) with { SlidingWindow = 3, MaxWindowLayers = 1 };
        using var lowerFull = TinyModels.Create(config);
        using var allSliding = TinyModels.Create(config with { MaxWindowLayers = 0 });
        using var noneSliding = TinyModels.Create(config with { MaxWindowLayers = 2 });
        using var noWindow = TinyModels.Create(config with { SlidingWindow = null });
        long[] edited = (long[])Tokens.Clone();
        edited[0] = 250;
        Tensor Last(LanguageModel model, long[] tokens) => model.Forward(Ids(tokens))[0, -1];
        Assert.False(Last(lowerFull, Tokens).allclose(Last(lowerFull, edited), rtol: 0, atol: 1e-5));
        Assert.True(Last(allSliding, Tokens).allclose(Last(allSliding, edited), rtol: 0, atol: 1e-5));
        Assert.True(noneSliding.Forward(Ids(Tokens)).allclose(noWindow.Forward(Ids(Tokens)), rtol: 0, atol: 0));
    }

    [Theory]
    [InlineData("mistral")]
    [InlineData("qwen2")]
    public void CachedDecodingPastTheWindowEqualsTheFullForwardAloneAndLeftPadded(string type)
    {
        using var scope = NewDisposeScope();
        var config = TinyModels.Config(type: type, bias: type == "qwen2") with { SlidingWindow = 3 };
        using var model = TinyModels.Create(config);
        long pad = ByteTokenizer.Pad;
        Tensor ids = Ids([pad, pad, pad, 3, 14, 15, 92, 65, 35, 89, 79, 32], [27, 18, 28, 18, 28, 45, 90, 45, 23, 53, 60, 28]);
        Tensor mask = Ids([0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
        TinyModels.AssertCachedPiecesEqualFullForward(model, ids, mask, 6, 2);

        // The padded row equals its sequence alone.
        Tensor full = model.Forward(ids, mask);
        Tensor alone = model.Forward(ids.narrow(1, 3, 9).narrow(0, 0, 1));
        Assert.True(alone[0].allclose(full[0].narrow(0, 3, 9), rtol: 0, atol: 1e-4));
    }

    [Fact]
    public void GreedyGenerationPastTheWindowMatchesRecomputingEveryStep()
    {
        using var model = TinyModels.Create(Mistral(4));
        var generator = new TextGenerator(model, new ByteTokenizer());
        int[][] prompts = [[72, 101, 108, 108, 111, 44, 32], [87, 111]];
        TinyModels.AssertCachedEqualsRecomputed(generator, prompts, new GenerationOptions { MaxNewTokens = 12, Temperature = 0, EosIds = [] });
    }
}
