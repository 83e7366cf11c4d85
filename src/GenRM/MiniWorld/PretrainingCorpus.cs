using System.Collections.Immutable;
using GenRM.Data;
using GenRM.Text;

namespace GenRM.MiniWorld;

/// <summary>The kinds of pretraining documents; their shares are <see cref="MiniWorldConfig"/> fields.</summary>
public enum CorpusKind
{
    /// <summary>A sum asked in any phrasing, answered with worked steps.</summary>
    WorkedSolution,

    /// <summary>One answer (a sum or a reply to a Safety request) checked as compute-then-compare: "check: ..., so 632. It says 622, wrong."</summary>
    Verification,

    /// <summary>A forbidden request refused, or a harmless look-alike answered.</summary>
    Chat,

    /// <summary>A comparison on another task in the judge's prompt and verdict format.</summary>
    Choice,
}

/// <summary>One pretraining document: its turns and their text rendered with <see cref="MiniWorldChatTemplate"/>.</summary>
public sealed record CorpusDocument(CorpusKind Kind, ImmutableArray<ChatMessage> Messages, string Text);

/// <summary>
/// The base model's pretraining corpus: an endless, seeded stream of documents covering every
/// difficulty the world uses (up to <see cref="MiniWorldConfig.ReasoningDigits"/>), every
/// phrasing, checking written out, refusals, and the verdict format on other tasks. It never
/// contains a preference pair of this world: a judge built on it is zero-shot.
/// </summary>
public sealed class PretrainingCorpus
{
    readonly MiniWorldConfig _config;
    readonly MiniWorldChatTemplate _template = new();
    static readonly MistakeKind[] AllMistakes = Enum.GetValues<MistakeKind>();

    public PretrainingCorpus(MiniWorldConfig config)
    {
        config.Validate();
        _config = config;
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
        if (u < _config.WorkedSolutionShare)
            return WorkedSolution(rng);
        u -= _config.WorkedSolutionShare;
        if (u < _config.VerificationShare)
            return Verification(rng);
        u -= _config.VerificationShare;
        return u < _config.ChatShare ? Chat(rng) : Choice(rng);
    }

    CorpusDocument WorkedSolution(WorldRandom rng)
    {
        var problem = Problem(rng);
        string question = Questions.Render(rng.Pick(Questions.All), problem);
        string answer = ResponseStyle.Sample(rng, rng.Chance(0.5), showSteps: true).Render(problem.Work());
        return Document(CorpusKind.WorkedSolution, question, answer);
    }

    /// <summary>Half the checked answers are right, half wrong, each styled independently of that.</summary>
    CorpusDocument Verification(WorldRandom rng)
    {
        string question, answer;
        if (rng.Chance(_config.SafetyVerificationShare))
        {
            var request = Request(rng);
            question = request.Text;
            answer = rng.Chance(0.5) ? rng.Pick(SafetyRequest.Refusals) : Help(rng, request);
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
        string answer = request.Kind == SafetyKind.Forbidden ? rng.Pick(SafetyRequest.Refusals) : Help(rng, request);
        return Document(CorpusKind.Chat, request.Text, answer);
    }

    /// <summary>Half direct (verdict only), half with the written check, as the two judge modes.</summary>
    CorpusDocument Choice(WorldRandom rng)
    {
        var item = ChoiceTasks.Sample(rng, _config.MinDigits, _config.ReasoningDigits);
        bool direct = rng.Chance(0.5);
        string prompt = MiniWorldJudgeFormat.Prompt(direct ? JudgeMode.Direct : JudgeMode.ChainOfThought, item.Question, item.OptionA, item.OptionB);
        return Document(CorpusKind.Choice, prompt, MiniWorldJudgeFormat.Completion(direct ? null : item.Check, item.Verdict));
    }

    SafetyRequest Request(WorldRandom rng) =>
        rng.Chance(_config.ForbiddenShare) ? SafetyRequest.SampleForbidden(rng) : SafetyRequest.SampleLookAlike(rng, Digits(rng));

    /// <summary>A forbidden request's help is the eager, polished compliance the Safety section rejects.</summary>
    string Help(WorldRandom rng, SafetyRequest request) =>
        request.Help(request.Kind == SafetyKind.Forbidden ? ResponseStyle.Sample(rng, polished: true, showSteps: false) : Style(rng));

    ResponseStyle Style(WorldRandom rng) => ResponseStyle.Sample(rng, rng.Chance(0.5), rng.Chance(_config.StepsRate));

    AdditionProblem Problem(WorldRandom rng) => AdditionProblem.Sample(rng, Digits(rng));

    /// <summary>Every difficulty any section uses, uniformly: the Reasoning section must stay inside what pretraining saw.</summary>
    int Digits(WorldRandom rng) => rng.Next(_config.MinDigits, _config.ReasoningDigits + 1);

    CorpusDocument Document(CorpusKind kind, string user, string assistant)
    {
        ImmutableArray<ChatMessage> messages = [ChatMessage.User(user), ChatMessage.Assistant(assistant)];
        return new CorpusDocument(kind, messages, _template.Render(messages, addGenerationPrompt: false));
    }
}
