using System.Collections.Immutable;
using GenRM.Data;
using GenRM.Judging;
using GenRM.Modeling;
using GenRM.Tests.Modeling;
using GenRM.Text;
using GenRM.Training;

namespace GenRM.Tests.Judging;

/// <summary>
/// A toy preference task small enough to train in seconds: the better response is a "yes" word,
/// the worse one a "no" word. A judge is right when it names the side holding the "yes" word; the
/// byte-level tiny model has to attend to the first letter of each answer to do so.
/// </summary>
internal static class ToyJudgingWorld
{
    static readonly string[] Good = ["yes", "yep", "yay"];
    static readonly string[] Bad = ["no", "nah", "nope"];

    public static ImmutableArray<PreferencePair> Pairs(int count, int seed, string subset = "toy")
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i => PreferencePair.FromUserPrompt(
            $"{subset}-{seed}-{i}", "pick", Good[random.Next(Good.Length)], Bad[random.Next(Bad.Length)], subset))];
    }

    public static ConversationEncoder Encoder { get; } = new(new ByteTokenizer(), new ToyTemplate());

    public static ModelConfig ModelConfig(int labels = 0) => TinyModels.Config(labels: labels) with { HiddenSize = 48, IntermediateSize = 96 };

    public static TrainingConfig Training(int epochs, double learningRate = 3e-3) => new()
    {
        Optimizer = new OptimizerConfig { LearningRate = learningRate, WeightDecay = 0, WarmupRatio = 0.05 },
        Epochs = epochs,
        BatchSize = 16,
        MaxLength = 96,
        Seed = 3,
    };

    /// <summary>A judge whose replies are "ok [[A]]" or "ok [[B]]" at random, whatever it reads: right half the time.</summary>
    public static LanguageModel CoinFlipJudge(IJudgePromptFormat format, int seed)
    {
        var model = new LanguageModel(ModelConfig(), seed);
        var random = new Random(seed);
        var examples = Pairs(128, seed + 1000).Select(p =>
        {
            var (prompt, reply) = Encoder.Completion(format.ChainOfThought(p.Prompt, p.Chosen, p.Rejected), format.Reply("ok", random.Next(2) == 0 ? Verdict.A : Verdict.B));
            return new SftExample(prompt, reply);
        }).ToArray();
        new SftTrainer(model, new SftTrainerConfig { Training = Training(epochs: 16, learningRate: 1e-2) }, ByteTokenizer.Pad).Train(examples);
        return model;
    }

    /// <summary>"U:question\nJ:" then the reply and a newline.</summary>
    sealed class ToyTemplate : IChatTemplate
    {
        public string Name => "toy";

        public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt) =>
            string.Concat(messages.Select(m => m.Role == ChatMessage.AssistantRole ? $"J:{m.Content}\n" : $"U:{m.Content}\n")) + (addGenerationPrompt ? "J:" : "");
    }
}

/// <summary>The toy's judge prompt: "A=sun B=mud" (direct) or the same with "?" (chain of thought); a reply is "rationale [[A]]".</summary>
internal sealed class ToyJudgeFormat : IJudgePromptFormat
{
    public IReadOnlyList<ChatMessage> Direct(IReadOnlyList<ChatMessage> question, string answerA, string answerB) => [ChatMessage.User($"A={answerA} B={answerB}")];

    public IReadOnlyList<ChatMessage> ChainOfThought(IReadOnlyList<ChatMessage> question, string answerA, string answerB) => [ChatMessage.User($"A={answerA} B={answerB}?")];

    public IReadOnlyList<ChatMessage> Rationalizer(IReadOnlyList<ChatMessage> question, string answerA, string answerB, Verdict better) =>
        [ChatMessage.User($"A={answerA} B={answerB}? {(better == Verdict.A ? "A" : "B")}!")];

    public string Reply(string? rationale, Verdict verdict) => (rationale is null ? "" : rationale + " ") + (verdict == Verdict.A ? "[[A]]" : "[[B]]");
}
