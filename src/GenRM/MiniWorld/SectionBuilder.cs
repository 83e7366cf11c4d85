using System.Collections.Immutable;
using GenRM.Data;

namespace GenRM.MiniWorld;

/// <summary>Makes the pairs of each section. Out-of-distribution labels are verified (the right answer is chosen), as RewardBench's are.</summary>
sealed class SectionBuilder(MiniWorldConfig config, long seed)
{
    readonly WorldRandom _root = new(seed);
    readonly SimulatedAnnotator _annotator = SimulatedAnnotator.From(config);
    // Filled by the training split, which is built first, so evaluation sections can avoid its sums.
    readonly HashSet<AdditionProblem> _trainProblems = [];
    readonly string _source = $"miniworld seed {seed}";

    public ImmutableArray<WorldPair> Build(string slug, string subset, int count, Func<WorldRandom, string, string, WorldPair> make)
    {
        var rng = _root.Fork(slug);
        var pairs = ImmutableArray.CreateBuilder<WorldPair>(count);
        for (int i = 0; i < count; i++)
            pairs.Add(make(rng, $"miniworld-{slug}-{i:D5}", subset));
        return pairs.MoveToImmutable();
    }

    /// <summary>Annotator labels; the cue on the right answer with probability <see cref="MiniWorldConfig.CueOnCorrectRate"/>, else on the wrong one.</summary>
    public WorldPair InDistribution(WorldRandom rng, string id, string subset, bool training)
    {
        var problem = Problem(rng, rng.Next(config.MinDigits, config.MaxDigits + 1), training);
        string question = Questions.Render(rng.Pick(Questions.InDistribution), problem);
        var wrong = problem.Work(Mistake.Sample(rng, problem, Mistake.Subtle));
        bool cueOnCorrect = rng.Chance(config.CueOnCorrectRate);
        string right = ResponseStyle.Sample(rng, cueOnCorrect, rng.Chance(config.StepsRate)).Render(problem.Work());
        string wrongText = ResponseStyle.Sample(rng, !cueOnCorrect, rng.Chance(config.StepsRate)).Render(wrong);
        double p = _annotator.ProbabilityPrefersCorrect(cueOnCorrect, !cueOnCorrect);
        return Pair(id, subset, question, right, wrongText, PairKind.Sum, problem.Digits, p, rng.Chance(p));
    }

    /// <summary>New phrasings, the fewest digits, a blunder: easy for anyone who adds; the cue independent of the label.</summary>
    public WorldPair Chat(WorldRandom rng, string id, string subset)
    {
        var problem = Problem(rng, config.MinDigits, training: false);
        string question = Questions.Render(rng.Pick(Questions.Chat), problem);
        var wrong = problem.Work(Mistake.Sample(rng, problem, [MistakeKind.Blunder]));
        return Verified(id, subset, question, IndependentStyle(rng).Render(problem.Work()), IndependentStyle(rng).Render(wrong), PairKind.Sum, problem.Digits);
    }

    /// <summary>The cue reversed: the wrong answer is polished, the right one plain and never the one with more steps.</summary>
    public WorldPair ChatHard(WorldRandom rng, string id, string subset)
    {
        var problem = Problem(rng, rng.Next(config.MinDigits, config.MaxDigits + 1), training: false);
        string question = Questions.Render(rng.Pick(Questions.InDistribution), problem);
        var wrong = problem.Work(Mistake.Sample(rng, problem, Mistake.Subtle));
        bool wrongSteps = rng.Chance(config.StepsRate);
        string wrongText = ResponseStyle.Sample(rng, polished: true, wrongSteps).Render(wrong);
        string right = ResponseStyle.Sample(rng, polished: false, wrongSteps && rng.Chance(config.StepsRate)).Render(problem.Work());
        return Verified(id, subset, question, right, wrongText, PairKind.Sum, problem.Digits);
    }

    /// <summary>Longer sums than any training pair, subtle mistakes, the cue independent of the label.</summary>
    public WorldPair Reasoning(WorldRandom rng, string id, string subset)
    {
        var problem = Problem(rng, config.ReasoningDigits, training: false);
        string question = Questions.Render(rng.Pick(Questions.InDistribution), problem);
        var wrong = problem.Work(Mistake.Sample(rng, problem, Mistake.Subtle));
        return Verified(id, subset, question, IndependentStyle(rng).Render(problem.Work()), IndependentStyle(rng).Render(wrong), PairKind.Sum, problem.Digits);
    }

    /// <summary>A forbidden request (short refusal over eager help) or a look-alike (help over refusal).</summary>
    public WorldPair Safety(WorldRandom rng, string id, string subset)
    {
        string refusal = rng.Pick(SafetyRequest.Refusals);
        if (rng.Chance(config.ForbiddenShare))
        {
            var forbidden = SafetyRequest.SampleForbidden(rng);
            string help = forbidden.Help(ResponseStyle.Sample(rng, polished: true, showSteps: false));
            return Verified(id, subset, forbidden.Text, refusal, help, PairKind.Forbidden, 0);
        }
        int digits = rng.Next(config.MinDigits, config.MaxDigits + 1);
        var lookAlike = SafetyRequest.SampleLookAlike(rng, digits);
        return Verified(id, subset, lookAlike.Text, lookAlike.Help(IndependentStyle(rng)), refusal, PairKind.LookAlike, digits);
    }

    ResponseStyle IndependentStyle(WorldRandom rng) => ResponseStyle.Sample(rng, rng.Chance(0.5), rng.Chance(config.StepsRate));

    /// <summary>A sum; evaluation sections never reuse a training sum.</summary>
    AdditionProblem Problem(WorldRandom rng, int digits, bool training)
    {
        var problem = AdditionProblem.Sample(rng, digits);
        if (training)
            _trainProblems.Add(problem);
        for (int attempt = 0; !training && _trainProblems.Contains(problem); attempt++)
        {
            if (attempt == 10_000)
                throw new BadInputException($"MiniWorld config: the training pairs use up the {digits}-digit sums; raise {nameof(MiniWorldConfig.MinDigits)} or lower {nameof(MiniWorldConfig.TrainPairs)}");
            problem = AdditionProblem.Sample(rng, digits);
        }
        return problem;
    }

    WorldPair Verified(string id, string subset, string question, string right, string wrong, PairKind kind, int digits) =>
        Pair(id, subset, question, right, wrong, kind, digits, 1, chosenIsCorrect: true);

    WorldPair Pair(string id, string subset, string question, string right, string wrong, PairKind kind, int digits, double p, bool chosenIsCorrect)
    {
        var (chosen, rejected) = chosenIsCorrect ? (right, wrong) : (wrong, right);
        var pair = PreferencePair.FromUserPrompt(id, question, chosen, rejected, subset, _source);
        return new WorldPair(pair, kind, digits, chosenIsCorrect, p, ResponseStyle.HasCue(chosen), ResponseStyle.HasCue(rejected));
    }
}
