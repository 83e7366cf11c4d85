using System.Text.Json.Serialization;

namespace GenRM.Benchmarks;

/// <summary>
/// The token shapes <see cref="JudgeBench"/> judged, handed to the PyTorch peer so that it judges the
/// same work: each reward-model pair's two sequences, each direct prompt and its verdict's length,
/// each chain-of-thought prompt, the votes and the mean tokens a rationale took.
/// </summary>
internal sealed record JudgeShapes(
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("reward_model")] IReadOnlyList<int[]> RewardModel,
    [property: JsonPropertyName("direct")] IReadOnlyList<int> Direct,
    [property: JsonPropertyName("verdict_tokens")] int VerdictTokens,
    [property: JsonPropertyName("cot_prompts")] IReadOnlyList<int> CotPrompts,
    [property: JsonPropertyName("cot_votes")] int CotVotes,
    [property: JsonPropertyName("cot_new_tokens")] int CotNewTokens);
