using GenRM.Generation;
using GenRM.Tests.Modeling;

namespace GenRM.Tests.Generation;

public sealed class TextGeneratorTests
{
    static readonly int[][] Prompts = [[72, 101, 108, 108, 111], [87, 111], [1, 2, 3, 4, 5, 6, 7, 8, 9]];

    [Fact]
    public void KvCacheGenerationMatchesFullRecompute()
    {
        using var model = TinyModels.Create(TinyModels.Config());
        var generator = new TextGenerator(model, new ByteTokenizer());
        var options = new GenerationOptions { MaxNewTokens = 24, Temperature = 0, EosIds = [] };
        var cached = TinyModels.AssertCachedEqualsRecomputed(generator, Prompts, options);
        Assert.True(cached.Select(c => c.TokenIds.Distinct().Count()).Min() > 1, "greedy output should not be one repeated token");
    }

    [Fact]
    public void RepeatedPromptsReadOnceSampleAsIfEachWereReadAlone()
    {
        // k samples of one item share their prompt: the KV path reads it once and copies its cache
        // rows; the recompute path reads every row. Both must draw the same tokens.
        using var model = TinyModels.Create(TinyModels.Config());
        var generator = new TextGenerator(model, new ByteTokenizer());
        int[][] prompts = [Prompts[0], Prompts[0], Prompts[2], Prompts[0], Prompts[2]];
        var options = new GenerationOptions { MaxNewTokens = 16, Temperature = 1.0, EosIds = [], Seed = 5 };
        var cached = TinyModels.AssertCachedEqualsRecomputed(generator, prompts, options);
        Assert.NotEqual(cached[0].TokenIds, cached[1].TokenIds);
    }

    [Fact]
    public void RowsThatEndEarlyLeaveTheBatchWithoutChangingTheOthers()
    {
        // Greedy rows do not depend on each other: each must be what it is alone, whether or not the
        // rows that ended before it were dropped from the batch and their cache rows left behind.
        using var model = TinyModels.Create(TinyModels.Config());
        var generator = new TextGenerator(model, new ByteTokenizer());
        var options = new GenerationOptions { MaxNewTokens = 16, Temperature = 0, EosIds = [] };
        int eos = generator.Generate([Prompts[1]], options)[0].TokenIds[2];
        var ended = generator.Generate(Prompts, options with { EosIds = [eos] });
        Assert.Contains(ended, c => c.FinishReason == FinishReason.Eos);
        Assert.Contains(ended, c => c.FinishReason == FinishReason.Length);
        for (int i = 0; i < Prompts.Length; i++)
        {
            var alone = generator.Generate([Prompts[i]], options with { EosIds = [eos] })[0];
            Assert.Equal(alone.TokenIds, ended[i].TokenIds);
            Assert.Equal(alone.FinishReason, ended[i].FinishReason);
            for (int t = 0; t < alone.TokenLogProbs.Length; t++)
                Assert.Equal(alone.TokenLogProbs[t], ended[i].TokenLogProbs[t], 1e-4);
        }
    }

    [Fact]
    public void SampledRowsEndingAtDifferentStepsMatchTheRecomputePath()
    {
        using var model = TinyModels.Create(TinyModels.Config());
        var generator = new TextGenerator(model, new ByteTokenizer());
        int[][] prompts = [.. Enumerable.Range(0, 8).Select(i => Prompts[i % Prompts.Length].Append(40 + i).ToArray())];
        var options = new GenerationOptions { MaxNewTokens = 20, Temperature = 1.0, EosIds = [], Seed = 11 };
        var free = generator.Generate(prompts, options);
        // End on the token most rows produce somewhere after their first: rows then stop at different steps.
        int eos = free.SelectMany(c => c.TokenIds.Skip(1).Distinct()).GroupBy(t => t).MaxBy(g => g.Count())!.Key;
        var cached = generator.Generate(prompts, options with { EosIds = [eos] });
        var recomputed = generator.Generate(prompts, options with { EosIds = [eos], UseKvCache = false });
        Assert.True(cached.Select(c => c.TokenIds.Length).Distinct().Count() > 2, "rows should end at several different steps");
        TinyModels.AssertSameContinuations(recomputed, cached);
    }

    [Fact]
    public void SharedPromptsStayExactAsRowsEndAndWholePromptsLeaveTheBatch()
    {
        // Three samples of each of four prompts (of different lengths, so left-padded), ending at
        // different steps: the batch shrinks, some prompts lose a row, others every row.
        using var model = TinyModels.Create(TinyModels.Config());
        var generator = new TextGenerator(model, new ByteTokenizer());
        int[][] distinct = [.. Enumerable.Range(0, 4).Select(i => Prompts[i % Prompts.Length].Append(50 + i).ToArray())];
        int[][] prompts = [.. distinct.SelectMany(p => new[] { p, p, p })];
        var options = new GenerationOptions { MaxNewTokens = 20, Temperature = 1.0, EosIds = [], Seed = 3 };
        var free = generator.Generate(prompts, options);
        int eos = free.SelectMany(c => c.TokenIds.Skip(1).Distinct()).GroupBy(t => t).MaxBy(g => g.Count())!.Key;
        var cached = TinyModels.AssertCachedEqualsRecomputed(generator, prompts, options with { EosIds = [eos] });
        Assert.True(cached.Select(c => c.TokenIds.Length).Distinct().Count() > 2, "rows should end at several different steps");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GreedyRowsRideAlongWithoutChangingTheSampledRows(bool managedDecoding)
    {
        // Three samples of each of four prompts and a greedy row per prompt in one batch (a judge's
        // votes and its greedy readout): the sampled rows must draw exactly as they do alone, though
        // rows of both kinds end at different steps and the batch shrinks, and the greedy rows must be
        // the prompts' greedy continuations.
        using var model = TinyModels.Create(TinyModels.Config());
        var generator = new TextGenerator(model, new ByteTokenizer());
        int[][] distinct = [.. Enumerable.Range(0, 4).Select(i => Prompts[i % Prompts.Length].Append(60 + i).ToArray())];
        int[][] sampledPrompts = [.. distinct.SelectMany(p => new[] { p, p, p })];
        var options = new GenerationOptions { MaxNewTokens = 20, Temperature = 1.0, EosIds = [], Seed = 8, ManagedDecoding = managedDecoding };
        var free = generator.Generate(sampledPrompts, options);
        int eos = free.SelectMany(c => c.TokenIds.Skip(1).Distinct()).GroupBy(t => t).MaxBy(g => g.Count())!.Key;
        options = options with { EosIds = [eos] };

        var sampledAlone = generator.Generate(sampledPrompts, options);
        var greedyAlone = generator.Generate(distinct, options with { Temperature = 0 });
        var together = generator.Generate([.. sampledPrompts, .. distinct], options, [.. sampledPrompts.Select(_ => false), .. distinct.Select(_ => true)]);

        Assert.True(sampledAlone.Select(c => c.TokenIds.Length).Distinct().Count() > 2, "sampled rows should end at several different steps");
        Assert.Contains(greedyAlone, g => g.TokenIds.Length > sampledAlone.Min(c => c.TokenIds.Length));
        Assert.Equal(sampledAlone.Count + greedyAlone.Count, together.Count);
        for (int i = 0; i < sampledAlone.Count; i++)
        {
            Assert.Equal(sampledAlone[i].TokenIds, together[i].TokenIds);
            Assert.Equal(sampledAlone[i].FinishReason, together[i].FinishReason);
        }
        TinyModels.AssertSameContinuations(greedyAlone, together.Skip(sampledAlone.Count).ToArray());
    }

    [Fact]
    public void GreedyFlagsMustNameEveryRow() =>
        Assert.Throws<ArgumentException>(() =>
        {
            using var model = TinyModels.Create(TinyModels.Config());
            new TextGenerator(model, new ByteTokenizer()).Generate(Prompts, new GenerationOptions { MaxNewTokens = 2 }, [true]);
        });

    [Fact]
    public void EachRowOfABatchMatchesItsGenerationAlone()
    {
        using var model = TinyModels.Create(TinyModels.Config());
        var generator = new TextGenerator(model, new ByteTokenizer());
        var options = new GenerationOptions { MaxNewTokens = 12, Temperature = 0, EosIds = [] };
        var batched = generator.Generate(Prompts, options);
        for (int i = 0; i < Prompts.Length; i++)
            Assert.Equal(generator.Generate([Prompts[i]], options)[0].TokenIds, batched[i].TokenIds);
    }

    [Fact]
    public void SamplingIsReproducibleForASeedAndVariesAcrossSeeds()
    {
        using var model = TinyModels.Create(TinyModels.Config());
        var generator = new TextGenerator(model, new ByteTokenizer());
        var options = new GenerationOptions { MaxNewTokens = 16, Temperature = 1.0, TopP = 0.95, EosIds = [], Seed = 7 };
        var first = generator.Generate(Prompts, options);
        var again = generator.Generate(Prompts, options);
        var other = generator.Generate(Prompts, options with { Seed = 8 });
        Assert.Equal(first.Select(c => c.TokenIds), again.Select(c => c.TokenIds));
        Assert.NotEqual(first.SelectMany(c => c.TokenIds), other.SelectMany(c => c.TokenIds));
    }

    [Fact]
    public void TopKOfOneAndATinyTopPAreGreedy()
    {
        using var model = TinyModels.Create(TinyModels.Config());
        var generator = new TextGenerator(model, new ByteTokenizer());
        var greedy = generator.Generate(Prompts, new GenerationOptions { MaxNewTokens = 10, Temperature = 0, EosIds = [] });
        var topK = generator.Generate(Prompts, new GenerationOptions { MaxNewTokens = 10, Temperature = 1.5, TopK = 1, EosIds = [], Seed = 3 });
        var topP = generator.Generate(Prompts, new GenerationOptions { MaxNewTokens = 10, Temperature = 1.5, TopP = 1e-6, EosIds = [], Seed = 3 });
        Assert.Equal(greedy.Select(c => c.TokenIds), topK.Select(c => c.TokenIds));
        Assert.Equal(greedy.Select(c => c.TokenIds), topP.Select(c => c.TokenIds));
    }

    [Fact]
    public void StopStringsAndEosEndARowAndAreCutFromTheText()
    {
        using var model = TinyModels.Create(TinyModels.Config());
        var tokenizer = new ByteTokenizer();
        var generator = new TextGenerator(model, tokenizer);
        var free = generator.Generate(Prompts, new GenerationOptions { MaxNewTokens = 12, Temperature = 0, EosIds = [] });
        // Stop on the text of the third and fourth generated tokens of the first prompt.
        string stop = tokenizer.Decode(free[0].TokenIds.AsSpan(2, 2));
        var stopped = generator.Generate([Prompts[0]], new GenerationOptions { MaxNewTokens = 12, Temperature = 0, EosIds = [], StopStrings = [stop] })[0];
        Assert.Equal(FinishReason.Stop, stopped.FinishReason);
        Assert.DoesNotContain(stop, stopped.Text, StringComparison.Ordinal);
        Assert.Equal(free[0].TokenIds.Take(stopped.TokenIds.Length), stopped.TokenIds);

        int eos = free[1].TokenIds[3];
        var ended = generator.Generate([Prompts[1]], new GenerationOptions { MaxNewTokens = 12, Temperature = 0, EosIds = [eos] })[0];
        Assert.Equal(FinishReason.Eos, ended.FinishReason);
        Assert.Equal(eos, ended.TokenIds[^1]);
        Assert.True(ended.TokenIds.Length <= 4);
    }
}
