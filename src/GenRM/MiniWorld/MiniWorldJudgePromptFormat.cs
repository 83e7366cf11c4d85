using GenRM.Data;
using GenRM.Judging;
using GenRM.Text;

namespace GenRM.MiniWorld;

/// <summary>MiniWorld's compact judge prompt (<see cref="MiniWorldJudgeFormat"/>) behind the judges' common interface.</summary>
public sealed class MiniWorldJudgePromptFormat : IJudgePromptFormat
{
    public IReadOnlyList<ChatMessage> Direct(IReadOnlyList<ChatMessage> question, string answerA, string answerB) =>
        MiniWorldJudgeFormat.Messages(JudgeMode.Direct, QuestionText(question), answerA, answerB);

    public IReadOnlyList<ChatMessage> ChainOfThought(IReadOnlyList<ChatMessage> question, string answerA, string answerB) =>
        MiniWorldJudgeFormat.Messages(JudgeMode.ChainOfThought, QuestionText(question), answerA, answerB);

    public IReadOnlyList<ChatMessage> Rationalizer(IReadOnlyList<ChatMessage> question, string answerA, string answerB, Verdict better) =>
        MiniWorldJudgeFormat.Messages(JudgeMode.Rationalizer, QuestionText(question), answerA, answerB, better);

    public string Reply(string? rationale, Verdict verdict) => MiniWorldJudgeFormat.Completion(rationale, verdict);

    // MiniWorld conversations are one user turn; the question is its text.
    static string QuestionText(IReadOnlyList<ChatMessage> question) =>
        question.LastOrDefault(m => m.Role == ChatMessage.UserRole)?.Content
        ?? throw new ArgumentException("A MiniWorld judge prompt needs a user question.", nameof(question));
}
