using System.Collections.Immutable;
using GenRM.Data;
using GenRM.Text;

namespace GenRM.MiniWorld;

/// <summary>The kinds of pretraining documents; their shares are <see cref="CorpusMix"/> fields.</summary>
public enum CorpusKind
{
    /// <summary>A sum asked in any phrasing, answered with worked steps.</summary>
    WorkedSolution,

    /// <summary>A difference (the corpus's other arithmetic) answered with worked steps.</summary>
    WorkedDifference,

    /// <summary>One answer (a sum, the other arithmetic, or a reply to a Safety request) checked as read, compute, compare: "It says 622. check: ..., so 632. It: 6=6, 2&lt;3, wrong."</summary>
    Verification,

    /// <summary>A forbidden request refused, or a harmless look-alike answered.</summary>
    Chat,

    /// <summary>Two answers to a difference or an uneven sum (never the world's equal-length sums) judged in the judge's format and grammar (checked, or hinted).</summary>
    ArithmeticJudge,

    /// <summary>A comparison on a non-arithmetic task (larger number, sorted list, spelling) in the judge's format.</summary>
    Choice,
}

/// <summary>One pretraining document: its turns and their text rendered with <see cref="MiniWorldChatTemplate"/>.</summary>
public sealed record CorpusDocument(CorpusKind Kind, ImmutableArray<ChatMessage> Messages, string Text);

/// <summary>
/// The base model's pretraining corpus: an endless, seeded stream of documents covering every
/// difficulty the world uses (up to <see cref="MiniWorldConfig.ReasoningDigits"/>), every
/// phrasing, checking written out, refusals, and the judge's format and checking grammar on other
/// tasks. It never judges one of the world's sums (two numbers of equal length) nor contains any
/// preference of this world, so a judge built on it is zero-shot: judging the world's sums in the
/// checking grammar is a transfer from differences and uneven sums. Every
/// option and answer is polished at random and every verdict is A or B with equal odds, so no style
/// or position prior is taught.
/// </summary>
public sealed class PretrainingCorpus
{
    readonly MiniWorldConfig _world;
    readonly CorpusMix _mix;
    readonly MiniWorldChatTemplate _template = new();
    static readonly MistakeKind[] AllMistakes = Enum.GetValues<MistakeKind>();
    static readonly JudgeMode[] Modes = Enum.GetValues<JudgeMode>();

    /// <summary>Arithmetic's modes: never the verdict alone, which a model that cannot sum in its head learns as a constant (<see cref="CorpusMix.ArithmeticJudgeShare"/>).</summary>
    static readonly JudgeMode[] CheckedModes = [JudgeMode.ChainOfThought, JudgeMode.Rationalizer];

    public PretrainingCorpus(MiniWorldConfig world, CorpusMix mix)
    {
        world.Validate();
        _world = world;
        _mix = mix.Validated();
    }

    /// <summary>The endless document stream for <paramref name="seed"/>; take as many as training needs.</summary>
    public IEnumerable<CorpusDocument> Documents(long seed)
    {
        var rng = new WorldRandom(seed).Fork("corpus");
        while (true)
            yield return Next(rng);
    }

    CorpusDocument Next(WorldRandom rng)
    {
        double u = rng.NextDouble();
        foreach (var (kind, share) in _mix.Shares)
        {
            if (u < share)
                return Make(kind, rng);
            u -= share;
        }
        return Make(_mix.Shares[^1].Kind, rng);
    }

    CorpusDocument Make(CorpusKind kind, WorldRandom rng) => kind switch
    {
        CorpusKind.WorkedSolution => WorkedSolution(rng),
        CorpusKind.WorkedDifference => WorkedDifference(rng),
        CorpusKind.Verification => Verification(rng),
        CorpusKind.Chat => Chat(rng),
        CorpusKind.ArithmeticJudge => ArithmeticJudge(rng),
        _ => Choice(rng),
    };

    CorpusDocument WorkedSolution(WorldRandom rng)
    {
        var problem = Problem(rng);
        string question = Questions.Render(rng.Pick(Questions.All), problem);
        return Document(CorpusKind.WorkedSolution, question, Worked(rng).Render(problem.Work()));
    }

    CorpusDocument WorkedDifference(WorldRandom rng)
    {
        var problem = SubtractionProblem.Sample(rng, Digits(rng));
        return Document(CorpusKind.WorkedDifference, problem.Question(rng.Pick(SubtractionProblem.Phrasings)), Worked(rng).Render(problem.Work()));
    }

    /// <summary>Half the checked answers are right, half wrong, each styled independently of that.</summary>
    CorpusDocument Verification(WorldRandom rng)
    {
        string question, answer;
        if (rng.Chance(_mix.SafetyVerificationShare))
        {
            var request = Request(rng);
            question = request.Text;
            answer = rng.Chance(0.5) ? SafetyRequest.Refusal(rng, Plain(rng)) : Help(rng, request);
        }
        else if (rng.Chance(_mix.OtherArithmeticVerificationShare))
        {
            var other = OtherArithmetic(rng);
            question = other.Question;
            answer = rng.Chance(0.5) ? other.Right : other.Wrong;
        }
        else
        {
            var problem = Problem(rng);
            question = Questions.Render(rng.Pick(Questions.All), problem);
            var work = rng.Chance(0.5) ? problem.Work() : problem.Work(Mistake.Sample(rng, problem, AllMistakes));
            answer = Style(rng).Render(work);
        }
        return Document(CorpusKind.Verification, $"Is this answer right?\nQ: {question}\nAnswer: {answer}", RationaleChecker.Verify(question, answer));
    }

    CorpusDocument Chat(WorldRandom rng)
    {
        var request = Request(rng);
        string answer = request.Kind == SafetyKind.Forbidden ? SafetyRequest.Refusal(rng, Plain(rng)) : Help(rng, request);
        return Document(CorpusKind.Chat, request.Text, answer);
    }

    /// <summary>A right and a wrong (subtly mistaken) difference or uneven sum, judged in the world's grammar.</summary>
    CorpusDocument ArithmeticJudge(WorldRandom rng)
    {
        var (question, right, wrong) = OtherArithmetic(rng);
        var (a, b) = rng.Chance(0.5) ? (right, wrong) : (wrong, right);
        var truth = RationaleChecker.Judge(question, a, b);
        return Judged(rng, CorpusKind.ArithmeticJudge, question, a, b, truth.Rationale, truth.Verdict, CheckedModes);
    }

    /// <summary>
    /// A question on the corpus's other arithmetic (an uneven sum or a difference, never one of the
    /// world's sums) with a right answer and a subtly wrong one, each styled on its own.
    /// </summary>
    (string Question, string Right, string Wrong) OtherArithmetic(WorldRandom rng)
    {
        if (rng.Chance(_mix.UnevenSumShare))
        {
            var sum = AdditionProblem.SampleUneven(rng, Math.Max(2, Digits(rng)));
            return (Questions.Render(rng.Pick(Questions.All), sum), Style(rng).Render(sum.Work()), Style(rng).Render(sum.Work(Mistake.Sample(rng, sum, Mistake.Subtle))));
        }
        var difference = SubtractionProblem.Sample(rng, Digits(rng));
        return (difference.Question(rng.Pick(SubtractionProblem.Phrasings)), Style(rng).Render(difference.Work()), Style(rng).Render(difference.Work(difference.SampleMistake(rng))));
    }

    /// <summary>A comparison on another task, its options polished at random.</summary>
    CorpusDocument Choice(WorldRandom rng)
    {
        var item = ChoiceTasks.Sample(rng, _world.MinDigits, _world.ReasoningDigits);
        return Judged(rng, CorpusKind.Choice, item.Question, Plain(rng).Dress(item.OptionA), Plain(rng).Dress(item.OptionB), item.Check, item.Verdict, Modes);
    }

    /// <summary>
    /// A judge document in a mode drawn uniformly from <paramref name="modes"/>: the verdict alone
    /// (direct), the check then the verdict, or the check then the verdict after a hint naming the
    /// better answer (the rationalizer's prompt; the hint is always true here).
    /// </summary>
    CorpusDocument Judged(WorldRandom rng, CorpusKind kind, string question, string a, string b, string check, Verdict verdict, JudgeMode[] modes)
    {
        var mode = rng.Pick(modes);
        string prompt = MiniWorldJudgeFormat.Prompt(mode, question, a, b, mode == JudgeMode.Rationalizer ? verdict : null);
        return Document(kind, prompt, MiniWorldJudgeFormat.Completion(mode == JudgeMode.Direct ? null : check, verdict));
    }

    SafetyRequest Request(WorldRandom rng) =>
        rng.Chance(_world.ForbiddenShare) ? SafetyRequest.SampleForbidden(rng) : SafetyRequest.SampleLookAlike(rng, Digits(rng));

    /// <summary>Help of any kind, polished at random (a forbidden request's compliance too: polish is never a sign of harm).</summary>
    string Help(WorldRandom rng, SafetyRequest request) => request.Help(request.Kind == SafetyKind.Forbidden ? Plain(rng) : Style(rng));

    /// <summary>Polished at random, steps at the world's rate.</summary>
    ResponseStyle Style(WorldRandom rng) => ResponseStyle.Sample(rng, rng.Chance(0.5), rng.Chance(_world.StepsRate));

    /// <summary>Polished at random, steps always (a worked solution).</summary>
    static ResponseStyle Worked(WorldRandom rng) => ResponseStyle.Sample(rng, rng.Chance(0.5), showSteps: true);

    /// <summary>Polished at random, no steps (a short sentence or an option).</summary>
    static ResponseStyle Plain(WorldRandom rng) => ResponseStyle.Sample(rng, rng.Chance(0.5), showSteps: false);

    AdditionProblem Problem(WorldRandom rng) => AdditionProblem.Sample(rng, Digits(rng));

    /// <summary>Every difficulty any section uses, uniformly: the Reasoning section must stay inside what pretraining saw.</summary>
    int Digits(WorldRandom rng) => rng.Next(_world.MinDigits, _world.ReasoningDigits + 1);

    CorpusDocument Document(CorpusKind kind, string user, string assistant)
    {
        ImmutableArray<ChatMessage> messages = [ChatMessage.User(user), ChatMessage.Assistant(assistant)];
        return new CorpusDocument(kind, messages, _template.Render(messages, addGenerationPrompt: false));
    }
}
