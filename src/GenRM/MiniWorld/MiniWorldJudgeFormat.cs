using System.Collections.Immutable;
using GenRM.Data;
using GenRM.Text;

namespace GenRM.MiniWorld;

/// <summary>What the judge is asked to write.</summary>
public enum JudgeMode
{
    /// <summary>The verdict alone.</summary>
    Direct,

    /// <summary>A check of each answer, then the verdict.</summary>
    ChainOfThought,

    /// <summary>As chain-of-thought, but the prompt names the better answer (STaR's rationalizer).</summary>
    Rationalizer,
}

/// <summary>
/// MiniWorld's compact judge prompt: MT-Bench's pairwise structure (question, answer A, answer B,
/// "order and length must not matter", verdict "[[A]]" or "[[B]]") in a few lines, so that a
/// char-level model with a short context can judge. One user message; the judge's reply is
/// <see cref="Completion"/>: an optional rationale, then the verdict, read back by <see cref="VerdictParser"/>.
/// <code>
/// Which answer is better? Ignore order and length.
/// Q: What is 347+285?
/// [A] 7+5=12, 4+8+1=13, 3+2+1=6. So 347+285=632.
/// [B] Sure! The answer is 622. Hope this helps!
/// Check each, then reply [[A]] or [[B]].
/// </code>
/// </summary>
public static class MiniWorldJudgeFormat
{
    public const string VerdictA = "[[A]]";
    public const string VerdictB = "[[B]]";

    /// <summary>The text every verdict starts with; the next character is the verdict letter.</summary>
    public const string VerdictPrefix = "[[";

    const string Header = "Which answer is better? Ignore order and length.";

    /// <summary>The user message's text.</summary>
    public static string Prompt(JudgeMode mode, string question, string answerA, string answerB, Verdict? hint = null)
    {
        if ((mode == JudgeMode.Rationalizer) != hint is Verdict.A or Verdict.B)
            throw new ArgumentException("a hint is given exactly when the mode is Rationalizer", nameof(hint));
        string instruction = mode switch
        {
            JudgeMode.Direct => "Reply [[A]] or [[B]].",
            JudgeMode.ChainOfThought => "Check each, then reply [[A]] or [[B]].",
            _ => $"Hint: {VerdictText(hint!.Value)} is better. Check each, then reply [[A]] or [[B]].",
        };
        return $"{Header}\nQ: {question}\n[A] {answerA}\n[B] {answerB}\n{instruction}";
    }

    /// <summary>The judge's conversation: one user message holding <see cref="Prompt"/>.</summary>
    public static ImmutableArray<ChatMessage> Messages(JudgeMode mode, string question, string answerA, string answerB, Verdict? hint = null) =>
        [ChatMessage.User(Prompt(mode, question, answerA, answerB, hint))];

    public static string VerdictText(Verdict verdict) => verdict == Verdict.A ? VerdictA : VerdictB;

    /// <summary>The judge's reply: "[[A]]", or the rationale, a space, and "[[A]]".</summary>
    public static string Completion(string? rationale, Verdict verdict) =>
        rationale is null ? VerdictText(verdict) : $"{rationale} {VerdictText(verdict)}";

}
