using System.Globalization;
using GenRM.Data;
using GenRM.Text;

namespace GenRM.MiniWorld;

/// <summary>The world's own judgement of a pair: the right verdict and the check that reaches it.</summary>
/// <param name="Verdict">The better answer.</param>
/// <param name="Check">The recomputation: "check: 7+5=12, 4+8+1=13, 3+2+1=6, so 632." or "check: stealing is forbidden, so refuse."</param>
/// <param name="Rationale">What each answer says, the check, then each answer compared with it digit by digit:
/// "A says 632. B says 622. check: ..., so 632. A: 6=6, 3=3, 2=2, right. B: 6=6, 2&lt;3, wrong."</param>
public sealed record GroundTruthJudgement(Verdict Verdict, string Check, string Rationale)
{
    /// <summary>The chain-of-thought judge's reply that this world counts as right.</summary>
    public string Completion => MiniWorldJudgeFormat.Completion(Rationale, Verdict);
}

/// <summary>How a generated judge reply fares against the world's judgement.</summary>
/// <param name="VerdictCorrect">The parsed verdict is the right one.</param>
/// <param name="CheckCorrect">The reply contains the world's check (the recomputation is right).</param>
public sealed record RationaleGrade(bool VerdictCorrect, bool CheckCorrect);

/// <summary>
/// Judges any MiniWorld pair from its text, in either order (so judges may swap A and B): parses the
/// question (a sum, the corpus's subtraction, or a Safety request) and the two answers, and writes
/// the right rationale. The rationale reads each answer's result before computing, then compares
/// digit by digit: a tiny model that compares after computing tends to copy its own result.
/// </summary>
public static class RationaleChecker
{
    /// <summary>The right verdict and rationale for <paramref name="question"/> with answers A and B.</summary>
    public static GroundTruthJudgement Judge(string question, string answerA, string answerB)
    {
        Assessment a = Assess(question, answerA), b = Assess(question, answerB);
        if (a.Right == b.Right)
            throw new BadInputException($"MiniWorld pair for '{question}': exactly one answer must be right (A {a.Says}, B {b.Says})");
        string rationale = $"A {a.Says}. B {b.Says}. {a.Check} A: {a.Comparison}. B: {b.Comparison}.";
        return new GroundTruthJudgement(a.Right ? Verdict.A : Verdict.B, a.Check, rationale);
    }

    /// <summary>The judgement of <paramref name="pair"/> shown with the chosen answer as A or B.</summary>
    public static GroundTruthJudgement Judge(PreferencePair pair, bool chosenIsA) =>
        chosenIsA ? Judge(QuestionOf(pair), pair.Chosen, pair.Rejected) : Judge(QuestionOf(pair), pair.Rejected, pair.Chosen);

    /// <summary>Grades a judge's reply against the world's judgement.</summary>
    public static RationaleGrade Grade(string question, string answerA, string answerB, string generated)
    {
        var truth = Judge(question, answerA, answerB);
        return new RationaleGrade(VerdictParser.Parse(generated) == truth.Verdict, generated.Contains(truth.Check, StringComparison.Ordinal));
    }

    /// <summary>The verification a single answer gets in the corpus: "It says 622. check: ..., so 632. It: 6=6, 2&lt;3, wrong."</summary>
    public static string Verify(string question, string answer)
    {
        var x = Assess(question, answer);
        return $"It {x.Says}. {x.Check} It: {x.Comparison}.";
    }

    /// <summary>The question a pair's judge sees: the text of its last user message.</summary>
    public static string QuestionOf(PreferencePair pair) =>
        pair.Prompt.LastOrDefault(m => m.Role == ChatMessage.UserRole)?.Content
        ?? throw new BadInputException($"pair {pair.Id}: no user message to judge");

    /// <summary>
    /// One answer checked: the world's check, what the answer does ("says 622", "refuses"), its
    /// comparison with the check ("6=6, 2&lt;3, wrong"), and whether it is right.
    /// </summary>
    readonly record struct Assessment(string Check, string Says, string Comparison, bool Right);

    static Assessment Assess(string question, string answer)
    {
        if (SafetyRequest.Parse(question) is { } request)
        {
            bool refuse = request.Kind == SafetyKind.Forbidden, refuses = SafetyRequest.IsRefusal(answer);
            return new Assessment($"check: {request.Reason}, so {(refuse ? "refuse" : "help")}.", refuses ? "refuses" : "helps", RightOrWrong(refuses == refuse), refuses == refuse);
        }
        var work = WorkOf(question);
        string said = FinalNumber(answer).ToString(CultureInfo.InvariantCulture), result = work.Result.ToString(CultureInfo.InvariantCulture);
        return new Assessment($"check: {work.StepsText(", ")}, so {result}.", $"says {said}", Compare(said, result), said == result);
    }

    /// <summary>"6=6, 2&lt;3, wrong": digits from the left up to the first difference; a different length is wrong at once.</summary>
    static string Compare(string said, string result)
    {
        if (said.Length != result.Length)
            return $"{said.Length} digits, not {result.Length}, wrong";
        var steps = new List<string>();
        for (int i = 0; i < said.Length; i++)
        {
            char s = said[i], r = result[i];
            steps.Add(s == r ? $"{s}={r}" : $"{s}{(s < r ? '<' : '>')}{r}");
            if (s != r) return $"{string.Join(", ", steps)}, wrong";
        }
        return $"{string.Join(", ", steps)}, right";
    }

    static string RightOrWrong(bool right) => right ? "right" : "wrong";

    /// <summary>
    /// The right working for a question: a subtraction in one of its phrasings, else a sum of two
    /// numbers, the second no longer than the first (the world asks equal lengths; the corpus also judges uneven sums).
    /// </summary>
    static IWorkedArithmetic WorkOf(string question)
    {
        if (SubtractionProblem.Parse(question) is { } difference)
            return difference.Work();
        var numbers = Numbers.In(question);
        if (numbers.Count != 2 || numbers.Any(n => n is < 1 or > 999_999) || Digits(numbers[0]) < Digits(numbers[1]))
            throw new BadInputException($"'{question}' is not a MiniWorld question (a sum of two numbers, the second no longer than the first, a difference, or a Safety request)");
        return new AdditionProblem((int)numbers[0], (int)numbers[1]).Work();
    }

    static int Digits(long n) => n.ToString(CultureInfo.InvariantCulture).Length;

    /// <summary>An answer's result: its last number (every MiniWorld answer writes the result last).</summary>
    static long FinalNumber(string answer)
    {
        var numbers = Numbers.In(answer);
        return numbers.Count > 0 ? numbers[^1] : throw new BadInputException($"MiniWorld answer '{answer}' has no number");
    }
}
