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

    /// <summary>
    /// Annotator labels; a subtle mistake; each answer polished independently, the right one more
    /// often (<see cref="MiniWorldConfig.RightPolishRate"/>, <see cref="MiniWorldConfig.WrongPolishRate"/>).
    /// </summary>
    public WorldPair InDistribution(WorldRandom rng, string id, string subset, bool training)
    {
        var (problem, question, wrong) = SubtleMistake(rng, rng.Next(config.MinDigits, config.MaxDigits + 1), training);
        bool polishRight = rng.Chance(config.RightPolishRate), polishWrong = rng.Chance(config.WrongPolishRate);
        string right = Render(rng, problem.Work(), polishRight), wrongText = Render(rng, wrong, polishWrong);
        double p = _annotator.ProbabilityPrefersCorrect(polishRight, polishWrong);
        return Pair(id, subset, question, right, wrongText, PairKind.Sum, problem.Digits, p, rng.Chance(p));
    }

    /// <summary>New phrasings, the fewest digits, a blunder: easy for anyone who adds; polished as in distribution, so style helps.</summary>
    public WorldPair Chat(WorldRandom rng, string id, string subset)
    {
        var problem = Problem(rng, config.MinDigits, training: false);
        string question = Questions.Render(rng.Pick(Questions.Chat), problem);
        var wrong = problem.Work(Mistake.Sample(rng, problem, [MistakeKind.Blunder]));
        return Verified(id, subset, question, Render(rng, problem.Work(), rng.Chance(config.RightPolishRate)),
            Render(rng, wrong, rng.Chance(config.WrongPolishRate)), PairKind.Sum, problem.Digits);
    }

    /// <summary>
    /// Mostly adversarial pairs: the wrong answer polished (alone or with the right one) and either
    /// a subtle slip or a neighbouring sum solved correctly; the rest natural, in-distribution-like pairs.
    /// </summary>
    public WorldPair ChatHard(WorldRandom rng, string id, string subset)
    {
        int digits = rng.Next(config.MinDigits, config.MaxDigits + 1);
        if (!rng.Chance(config.ChatHardAdversarialShare))
        {
            var (natural, naturalQuestion, slip) = SubtleMistake(rng, digits, training: false);
            return Verified(id, subset, naturalQuestion, Render(rng, natural.Work(), rng.Chance(config.RightPolishRate)),
                Render(rng, slip, rng.Chance(config.WrongPolishRate)), PairKind.Sum, digits);
        }
        // A one-digit sum has no neighbour (nothing to swap), so it always gets a slip.
        bool neighbour = digits > 1 && rng.Chance(config.NeighbourSumShare);
        var (problem, question, wrong) = neighbour ? NeighbourSum(rng, digits) : SubtleMistake(rng, digits, training: false);
        bool polishRight = !rng.Chance(config.AdversarialWrongOnlyPolishShare);
        string right = Render(rng, problem.Work(), polishRight), wrongText = Render(rng, wrong, polished: true);
        return Pair(id, subset, question, right, wrongText, PairKind.Sum, digits, 1, chosenIsCorrect: true, adversarial: true, neighbour);
    }

    /// <summary>Longer sums than any training pair, subtle mistakes, style independent of correctness.</summary>
    public WorldPair Reasoning(WorldRandom rng, string id, string subset)
    {
        var (problem, question, wrong) = SubtleMistake(rng, config.ReasoningDigits, training: false);
        return Verified(id, subset, question, Render(rng, problem.Work(), rng.Chance(config.NeutralPolishRate)),
            Render(rng, wrong, rng.Chance(config.NeutralPolishRate)), PairKind.Sum, problem.Digits);
    }

    /// <summary>
    /// A forbidden request (refusal over harmful help) or a look-alike (help over refusal); each
    /// answer polished independently, a refusal with its own polite opener.
    /// </summary>
    public WorldPair Safety(WorldRandom rng, string id, string subset)
    {
        if (rng.Chance(config.ForbiddenShare))
        {
            var forbidden = SafetyRequest.SampleForbidden(rng);
            string refusal = SafetyRequest.Refusal(rng, NeutralStyle(rng, showSteps: false));
            string help = forbidden.Help(NeutralStyle(rng, showSteps: false));
            return Verified(id, subset, forbidden.Text, refusal, help, PairKind.Forbidden, 0);
        }
        int digits = rng.Next(config.MinDigits, config.MaxDigits + 1);
        var lookAlike = SafetyRequest.SampleLookAlike(rng, digits);
        string helps = lookAlike.Help(NeutralStyle(rng, rng.Chance(config.StepsRate)));
        return Verified(id, subset, lookAlike.Text, helps, SafetyRequest.Refusal(rng, NeutralStyle(rng, showSteps: false)), PairKind.LookAlike, digits);
    }

    ResponseStyle NeutralStyle(WorldRandom rng, bool showSteps) => ResponseStyle.Sample(rng, rng.Chance(config.NeutralPolishRate), showSteps);

    /// <summary>The answer text for <paramref name="work"/>, its steps shown with <see cref="MiniWorldConfig.StepsRate"/>.</summary>
    string Render(WorldRandom rng, AdditionWork work, bool polished) => ResponseStyle.Sample(rng, polished, rng.Chance(config.StepsRate)).Render(work);

    /// <summary>A sum in an in-distribution phrasing and its working with one subtle mistake.</summary>
    (AdditionProblem Problem, string Question, AdditionWork Wrong) SubtleMistake(WorldRandom rng, int digits, bool training)
    {
        var problem = Problem(rng, digits, training);
        string question = Questions.Render(rng.Pick(Questions.InDistribution), problem);
        return (problem, question, problem.Work(Mistake.Sample(rng, problem, Mistake.Subtle)));
    }

    /// <summary>A sum in an in-distribution phrasing and the right working of one of its neighbours (redrawn until it has one).</summary>
    (AdditionProblem Problem, string Question, AdditionWork Wrong) NeighbourSum(WorldRandom rng, int digits)
    {
        var problem = Problem(rng, digits, training: false);
        while (problem.Neighbours().Count == 0)
            problem = Problem(rng, digits, training: false);
        string question = Questions.Render(rng.Pick(Questions.InDistribution), problem);
        return (problem, question, rng.Pick(problem.Neighbours()).Work());
    }

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

    WorldPair Pair(string id, string subset, string question, string right, string wrong, PairKind kind, int digits, double p, bool chosenIsCorrect,
        bool adversarial = false, bool neighbourSum = false)
    {
        var (chosen, rejected) = chosenIsCorrect ? (right, wrong) : (wrong, right);
        var pair = PreferencePair.FromUserPrompt(id, question, chosen, rejected, subset, _source);
        return new WorldPair(pair, kind, digits, chosenIsCorrect, p, ResponseStyle.HasCue(chosen), ResponseStyle.HasCue(rejected), adversarial, neighbourSum);
    }
}
