using GenRM.Data;
using GenRM.Generation;
using GenRM.Judging;

namespace GenRM.Serving;

/// <summary>
/// A parsed <c>/v1/chat/completions</c> request: the conversation, its tokens, how to sample, whether to
/// return top log-probabilities, and the LoRA adapter it names as its model (null: the base model).
/// </summary>
public sealed record ChatRequest(IReadOnlyList<ChatMessage> Messages, int[] PromptIds, int N, GenerationOptions Options, bool SeedGiven, bool LogProbs, int TopLogProbs,
    string? Adapter = null);

/// <summary>A parsed <c>/v1/preference</c> request.</summary>
public sealed record PreferenceRequest(JudgeItem Item);

/// <summary>One generated choice: its completion and, when asked, per-token log-probabilities.</summary>
public sealed record ChatChoice(Completion Completion, IReadOnlyList<TokenLogProb>? LogProbs);

/// <summary>A generated token's log-probability and the most likely alternatives at its position.</summary>
public sealed record TokenLogProb(string Token, double LogProb, IReadOnlyList<(string Token, double LogProb)> Top);
