using GenRM.Data;
using GenRM.Text;

namespace GenRM.Judging;

/// <summary>
/// How a generative judge is asked and how it answers: the direct prompt (verdict only), the
/// chain-of-thought prompt (reasoning, then verdict), the rationalizer prompt (told the better
/// answer, asked to explain), and the text of a reply. Real models use MT-Bench's pairwise prompt
/// (<see cref="MtBenchJudgeFormat"/>); MiniWorld a compact one of the same structure.
/// </summary>
public interface IJudgePromptFormat
{
    IReadOnlyList<ChatMessage> Direct(IReadOnlyList<ChatMessage> question, string answerA, string answerB);

    IReadOnlyList<ChatMessage> ChainOfThought(IReadOnlyList<ChatMessage> question, string answerA, string answerB);

    IReadOnlyList<ChatMessage> Rationalizer(IReadOnlyList<ChatMessage> question, string answerA, string answerB, Verdict better);

    /// <summary>The judge's reply: the rationale (when any), then the verdict marker ([[A]] or [[B]]).</summary>
    string Reply(string? rationale, Verdict verdict);
}

/// <summary>MT-Bench's pairwise judge prompt without ties (RewardBench's prompt_v2), for real models.</summary>
public sealed class MtBenchJudgeFormat : IJudgePromptFormat
{
    public IReadOnlyList<ChatMessage> Direct(IReadOnlyList<ChatMessage> question, string answerA, string answerB) =>
        JudgePrompt.Build(question, answerA, answerB, JudgePromptVariant.Direct);

    public IReadOnlyList<ChatMessage> ChainOfThought(IReadOnlyList<ChatMessage> question, string answerA, string answerB) =>
        JudgePrompt.Build(question, answerA, answerB, JudgePromptVariant.ChainOfThought);

    public IReadOnlyList<ChatMessage> Rationalizer(IReadOnlyList<ChatMessage> question, string answerA, string answerB, Verdict better) =>
        JudgePrompt.BuildRationalizer(question, answerA, answerB, better);

    public string Reply(string? rationale, Verdict verdict)
    {
        string marker = verdict switch
        {
            Verdict.A => "[[A]]",
            Verdict.B => "[[B]]",
            _ => throw new ArgumentException("A reply needs verdict A or B.", nameof(verdict)),
        };
        return rationale is null ? marker : $"{rationale.TrimEnd()}\n\n{marker}";
    }
}
