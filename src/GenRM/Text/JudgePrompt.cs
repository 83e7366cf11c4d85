using System.Globalization;
using GenRM.Data;

namespace GenRM.Text;

/// <summary>How a pairwise judge is asked to answer.</summary>
public enum JudgePromptVariant
{
    /// <summary>MT-Bench pair-v2 without the tie: a short explanation, then "[[A]]" or "[[B]]".</summary>
    ChainOfThought,

    /// <summary>The same prompt asking for the verdict alone, with no explanation.</summary>
    Direct,
}

/// <summary>
/// The pairwise judge prompt of the paper: MT-Bench's "pair-v2" judge prompt with the tie option
/// removed, word for word as RewardBench's <c>prompt_v2</c> and <c>MTBENCH_V2</c> template
/// (allenai/reward-bench, <c>rewardbench/generative.py</c>; originally lm-sys/FastChat
/// <c>fastchat/llm_judge/data/judge_prompts.jsonl</c>, "pair-v2"). It is a system message (the
/// instructions) and a user message (the question and the two answers).
/// </summary>
public static class JudgePrompt
{
    const string Instructions =
        "Please act as an impartial judge and evaluate the quality of the responses provided by two AI assistants to the user question displayed below. "
        + "You should choose the assistant that follows the user's instructions and answers the user's question better. Your evaluation should consider "
        + "factors such as the helpfulness, relevance, accuracy, depth, creativity, and level of detail of their responses. ";

    const string Fairness =
        "Avoid any position biases and ensure that the order in which the responses were "
        + "presented does not influence your decision. Do not allow the length of the responses to influence your evaluation. Do not favor certain names "
        + "of the assistants. Be as objective as possible. ";

    const string Format = "\"[[A]]\" if assistant A is better, \"[[B]]\" if assistant B is better.";

    /// <summary>RewardBench's <c>prompt_v2</c>: MT-Bench pair-v2 without ", and "[[C]]" for a tie".</summary>
    public const string ChainOfThoughtSystemPrompt =
        Instructions
        + "Begin your evaluation by comparing the two responses and provide a short explanation. "
        + Fairness
        + "After providing your explanation, output your final verdict by strictly following this format: "
        + Format;

    /// <summary>
    /// The no-reasoning variant. The paper does not publish its wording (PAPER.md: "unsure"), so
    /// this is the smallest change of <see cref="ChainOfThoughtSystemPrompt"/> that asks for the
    /// verdict alone: the sentence asking for an explanation is removed, and the last sentence asks
    /// for the verdict without one.
    /// </summary>
    public const string DirectSystemPrompt =
        Instructions
        + Fairness
        + "Output only your final verdict, without any explanation, by strictly following this format: "
        + Format;

    /// <summary>
    /// The chat messages asking a judge to compare <paramref name="answerA"/> and
    /// <paramref name="answerB"/> as answers to <paramref name="question"/> (the conversation up
    /// to the answer; see <see cref="FormatQuestion"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The question has no messages.</exception>
    public static IReadOnlyList<ChatMessage> Build(IReadOnlyList<ChatMessage> question, string answerA, string answerB, JudgePromptVariant variant)
    {
        string system = variant switch
        {
            JudgePromptVariant.ChainOfThought => ChainOfThoughtSystemPrompt,
            JudgePromptVariant.Direct => DirectSystemPrompt,
            _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown judge prompt variant"),
        };
        return [ChatMessage.System(system), ChatMessage.User(UserPrompt(question, answerA, answerB))];
    }

    /// <summary>
    /// The STaR rationalizer's prompt: the chain-of-thought prompt, with a hint after the answers
    /// that names the better one and asks for an explanation ending with that verdict. The
    /// rationale it produces is then trained against the prompt without the hint (<see cref="Build"/>
    /// with <see cref="JudgePromptVariant.ChainOfThought"/>), as STaR's rationalization does.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="better"/> is <see cref="Verdict.None"/>, or the question has no messages.</exception>
    public static IReadOnlyList<ChatMessage> BuildRationalizer(IReadOnlyList<ChatMessage> question, string answerA, string answerB, Verdict better)
    {
        if (better == Verdict.None)
            throw new ArgumentException("the rationalizer must be told which answer is better (A or B)", nameof(better));
        string label = better == Verdict.A ? "A" : "B";
        string hint = string.Create(CultureInfo.InvariantCulture,
            $"\n\n[Hint]\nAssistant {label}'s answer is the better one. Explain why in a short comparison of the two responses, then output your final verdict: \"[[{label}]]\".");
        return [ChatMessage.System(ChainOfThoughtSystemPrompt), ChatMessage.User(UserPrompt(question, answerA, answerB) + hint)];
    }

    /// <summary>
    /// The text of the [User Question] block. A single user message is written as is (RewardBench's
    /// single-turn case). A longer conversation (earlier turns, a system message) is written as a
    /// transcript, one "### Role:" block per message in the style of MT-Bench's multi-turn judge
    /// prompt, so the judge sees which turn the answers reply to.
    /// </summary>
    public static string FormatQuestion(IReadOnlyList<ChatMessage> question)
    {
        ArgumentNullException.ThrowIfNull(question);
        if (question.Count == 0)
            throw new ArgumentException("the question has no messages", nameof(question));
        if (question is [{ Role: ChatMessage.UserRole } only])
            return only.Content;
        return string.Join("\n\n", question.Select(m => $"### {RoleTitle(m.Role)}:\n{m.Content}"));
    }

    static string UserPrompt(IReadOnlyList<ChatMessage> question, string answerA, string answerB) =>
        $"[User Question]\n{FormatQuestion(question)}\n\n"
        + $"[The Start of Assistant A's Answer]\n{answerA}\n[The End of Assistant A's Answer]\n\n"
        + $"[The Start of Assistant B's Answer]\n{answerB}\n[The End of Assistant B's Answer]";

    static string RoleTitle(string role) =>
        role.Length == 0 ? role : char.ToUpperInvariant(role[0]) + role[1..];
}
