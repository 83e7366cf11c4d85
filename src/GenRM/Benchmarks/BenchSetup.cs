using GenRM.Data;
using GenRM.Experiments;
using GenRM.Judging;
using GenRM.MiniWorld;
using GenRM.Modeling;
using GenRM.Text;
using GenRM.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRM.Benchmarks;

/// <summary>
/// What every measurement shares: the model (the committed MiniWorld weights when the checkout has
/// them, else the same shape with seeded random weights: throughput does not depend on the values),
/// the tokenizer and judge format, and MiniWorld pairs to feed it.
/// </summary>
internal sealed class BenchSetup : IDisposable
{
    public required LanguageModel Model { get; init; }
    public required ConversationEncoder Encoder { get; init; }
    public required IJudgePromptFormat Format { get; init; }
    public required IReadOnlyList<PreferencePair> TrainPairs { get; init; }
    public required IReadOnlyList<PreferencePair> EvaluationPairs { get; init; }
    public required Device Device { get; init; }
    /// <summary>"committed" or "random".</summary>
    public required string Weights { get; init; }

    public int PadId => Encoder.Tokenizer.PadId;

    public static BenchSetup Create(BenchConfig config, Device device)
    {
        var splits = MiniWorldSplits.Generate(config.World(), config.Seed);
        string? folder = config.ModelSize == BenchConfig.SizeThreeAndHalfMillion ? null : RepositoryData.MiniWorldModelFolder(config.ModelSize);
        LanguageModel model;
        ConversationEncoder encoder;
        if (folder is not null)
        {
            var loaded = MiniWorldBaseModel.Load(folder, device);
            model = loaded.Model;
            encoder = new ConversationEncoder(loaded.Tokenizer, loaded.Template);
        }
        else
        {
            model = new LanguageModel(config.ModelShape(), config.Seed);
            model.to(device);
            encoder = new ConversationEncoder(new MiniWorldTokenizer(), new MiniWorldChatTemplate());
        }
        model.eval();
        return new BenchSetup
        {
            Model = model,
            Encoder = encoder,
            Format = new MiniWorldJudgePromptFormat(),
            TrainPairs = splits.TrainPairs,
            EvaluationPairs = splits.EvaluationPairs,
            Device = device,
            Weights = folder is null ? "random" : "committed",
        };
    }

    /// <summary>The chain-of-thought judge prompt of a pair (chosen shown first), as the STaR loop samples after it.</summary>
    public int[] ChainOfThoughtPrompt(PreferencePair pair) => Encoder.Prompt(Format.ChainOfThought(pair.Prompt, pair.Chosen, pair.Rejected));

    /// <summary>That prompt with the pair's two responses as replies, as training sequences (the shape of STaR's SFT and DPO examples).</summary>
    public PreferenceExample ChainOfThoughtReplies(PreferencePair pair)
    {
        var (prompt, chosen, rejected) = Encoder.Completions(Format.ChainOfThought(pair.Prompt, pair.Chosen, pair.Rejected), pair.Chosen, pair.Rejected);
        return new PreferenceExample(prompt, chosen, rejected);
    }

    /// <summary><paramref name="count"/> items of <paramref name="pairs"/>, cycling when there are fewer.</summary>
    public static T[] Take<T>(IReadOnlyList<T> pairs, int count) => [.. Enumerable.Range(0, count).Select(i => pairs[i % pairs.Count])];

    public void Dispose() => Model.Dispose();
}
