namespace GenRM.Evaluation;

/// <summary>
/// How one pair was judged: 1 right, 0 wrong, 0.5 for an unparsable verdict (see <see cref="PairScoring"/>).
/// </summary>
/// <param name="Id">The pair's id.</param>
/// <param name="Subset">The pair's subset (RewardBench's names place it in a section).</param>
/// <param name="Score">1, 0.5 or 0.</param>
public readonly record struct ItemOutcome(string Id, string Subset, double Score);
