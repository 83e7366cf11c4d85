using GenRM.Data;
using GenRM.Generation;

namespace GenRM.Judging;

/// <summary>
/// Where a generative judge and the STaR loop get their continuations: the model in this process
/// (<see cref="LocalCompletionSource"/>) or an OpenAI-compatible endpoint
/// (<see cref="Remote.ChatClientCompletionSource"/>). Prompts are chat conversations, so the same
/// judge prompt reaches either side unchanged.
/// </summary>
public interface ICompletionSource
{
    /// <summary>Names what produced the continuations, e.g. <c>local</c> or <c>http://127.0.0.1:8000/v1 (model genrm)</c>; never holds a secret.</summary>
    string Source { get; }

    /// <summary>Returns prompts.Count × <paramref name="samples"/> continuation texts: every sample of the first prompt, then of the second, ...</summary>
    IReadOnlyList<string> Sample(IReadOnlyList<IReadOnlyList<ChatMessage>> prompts, int samples, GenerationOptions options, CancellationToken cancellation = default);

    /// <summary>
    /// <see cref="Sample"/>'s continuations and one greedy continuation per prompt (temperature 0). A
    /// source may read each prompt once for both; this one asks twice.
    /// </summary>
    (IReadOnlyList<string> Samples, IReadOnlyList<string> Greedy) SampleWithGreedy(IReadOnlyList<IReadOnlyList<ChatMessage>> prompts, int samples,
        GenerationOptions options, CancellationToken cancellation = default) =>
        (Sample(prompts, samples, options, cancellation), Sample(prompts, 1, options with { Temperature = 0 }, cancellation));

    /// <summary>
    /// P(A better) per prompt from the model's probabilities of the two verdict replies
    /// <paramref name="replyA"/> and <paramref name="replyB"/> as the assistant's answer.
    /// </summary>
    IReadOnlyList<double> VerdictProbabilities(IReadOnlyList<IReadOnlyList<ChatMessage>> prompts, string replyA, string replyB, CancellationToken cancellation = default);

    /// <summary>
    /// Why this source cannot read <paramref name="prompt"/> followed by the longest of <paramref name="replies"/>
    /// and <paramref name="newTokens"/> sampled tokens, or null when it can. An endpoint says null: it answers for itself.
    /// </summary>
    InputRefusal? Refusal(IReadOnlyList<ChatMessage> prompt, IReadOnlyList<string> replies, int newTokens) => null;
}
