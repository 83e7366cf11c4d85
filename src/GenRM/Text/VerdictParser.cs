namespace GenRM.Text;

/// <summary>Reads the verdict out of a judge's completion, by RewardBench's rule.</summary>
public static class VerdictParser
{
    /// <summary>
    /// <c>[[A]]</c> anywhere in the completion gives A; otherwise <c>[[B]]</c> anywhere gives B;
    /// otherwise None (RewardBench's "error", which it scores as 0.5).
    /// </summary>
    /// <remarks>
    /// This is RewardBench's <c>process_judgement</c> (allenai/reward-bench,
    /// <c>rewardbench/generative.py</c>): <c>if "[[A]]" in judgment: "A" elif "[[B]]" in judgment: "B"
    /// else "error"</c>. It is an exact, case-sensitive substring test, so <c>[[a]]</c> or
    /// <c>[[ A ]]</c> read as None; and a completion holding both markers reads as A wherever they
    /// stand, not as the first one written. Kept as is, because accuracies are only comparable to
    /// the paper's and RewardBench's under the same rule; the A/B swap in evaluation cancels the
    /// rule's lean towards A.
    /// </remarks>
    public static Verdict Parse(string? completion) =>
        completion is null ? Verdict.None
        : completion.Contains("[[A]]", StringComparison.Ordinal) ? Verdict.A
        : completion.Contains("[[B]]", StringComparison.Ordinal) ? Verdict.B
        : Verdict.None;
}
