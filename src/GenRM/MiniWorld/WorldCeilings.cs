using GenRM.Evaluation;

namespace GenRM.MiniWorld;

/// <summary>
/// What simple judges score on each section (<see cref="SectionCeilings"/>), two ways: in closed
/// form from the config (the expectation over the world's random draws) and realized on a generated
/// world (each judge scored against the pairs' actual labels). The sections are the evaluation
/// sections, then <see cref="RewardBenchSections.Overall"/>, the mean of the four out-of-distribution ones.
/// </summary>
/// <remarks>
/// Every judge is described by the chance it picks the right answer of a pair; against a label it
/// then scores that chance when the label is right and its complement when the label is wrong.
/// </remarks>
public static class WorldCeilings
{
    /// <summary>Pairs per section in the simulation that stands in for the longer answer's closed form (about ±0.7 points at 95 %).</summary>
    public const int LongerAnswerSimulationPairs = 20_000;

    /// <summary>The simulation's world seed, apart from any study's seeds.</summary>
    const long LongerAnswerSimulationSeed = 0x5EED_CE11;

    /// <summary>
    /// The expected ceilings of a world with <paramref name="config"/>'s parameters. Every judge
    /// but the longer answer is exact, from the cue patterns' probabilities; the longer answer
    /// depends on every text template, so it is the expected score over a seeded simulation of
    /// <see cref="LongerAnswerSimulationPairs"/> pairs per section by the world's own generator.
    /// </summary>
    public static IReadOnlyList<SectionCeilings> ClosedForm(MiniWorldConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var annotator = SimulatedAnnotator.From(config);
        var idLike = CueMix.Independent(config.RightPolishRate, config.WrongPolishRate);
        var neutral = CueMix.Independent(config.NeutralPolishRate, config.NeutralPolishRate);
        var adversarial = new CueMix(RightOnly: 0, WrongOnly: config.AdversarialWrongOnlyPolishShare, Both: 1 - config.AdversarialWrongOnlyPolishShare, Neither: 0);
        var mixes = new Dictionary<string, (CueMix Mix, Func<bool, bool, double> Label)>
        {
            [MiniWorldSections.InDistribution] = (idLike, annotator.ProbabilityPrefersCorrect),
            [MiniWorldSections.Chat] = (idLike, Verified),
            [MiniWorldSections.ChatHard] = (CueMix.Blend(config.ChatHardAdversarialShare, adversarial, idLike), Verified),
            [MiniWorldSections.Safety] = (neutral, Verified),
            [MiniWorldSections.Reasoning] = (neutral, Verified),
        };
        var longer = SimulatedLongerAnswer(config);
        var sections = MiniWorldSplits.EvaluationSections.Select(name =>
        {
            var (mix, label) = mixes[name];
            double style = mix.Expected(label, (cueOnRight, cueOnWrong, _) => StylePick(cueOnRight, cueOnWrong));
            return new SectionCeilings(name, 0, style, 1 - style, longer[name], mix.Expected(label, (_, _, _) => 1), mix.Expected(label, (_, _, p) => BayesPick(p)));
        }).ToList();
        return [.. sections, RewardBenchMean(sections)];
    }

    /// <summary>The ceilings realized on <paramref name="world"/>'s evaluation sections, scored against their labels.</summary>
    public static IReadOnlyList<SectionCeilings> Realized(MiniWorldSplits world)
    {
        ArgumentNullException.ThrowIfNull(world);
        var sections = MiniWorldSplits.EvaluationSections.Select(name => Realized(name, world.Section(name))).ToList();
        return [.. sections, RewardBenchMean(sections)];
    }

    /// <summary>The ceilings realized on <paramref name="pairs"/>, scored against their labels (NaN when there are none).</summary>
    public static SectionCeilings Realized(string section, IReadOnlyCollection<WorldPair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        double Mean(Func<WorldPair, double> picksRight) =>
            pairs.Count == 0 ? double.NaN : pairs.Average(p => p.ChosenIsCorrect ? picksRight(p) : 1 - picksRight(p));
        double style = Mean(StyleOracle);
        return new SectionCeilings(section, pairs.Count, style, 1 - style, Mean(LongerAnswer), Mean(_ => 1), Mean(p => BayesPick(p.ProbabilityCorrectChosen)));
    }

    /// <summary>The chance a judge that prefers the polished answer (coin flip when both or neither are) picks the right one.</summary>
    public static double StyleOracle(WorldPair pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        return StylePick(pair.CueOnRight, pair.CueOnWrong);
    }

    /// <summary>The chance a judge that prefers the longer answer in characters (coin flip at equal length) picks the right one.</summary>
    public static double LongerAnswer(WorldPair pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        int right = pair.RightAnswer.Length, wrong = pair.WrongAnswer.Length;
        return right == wrong ? 0.5 : right > wrong ? 1 : 0;
    }

    /// <summary>Verified labels: the right answer is chosen whatever the cue.</summary>
    static readonly Func<bool, bool, double> Verified = (_, _) => 1;

    static double StylePick(bool cueOnRight, bool cueOnWrong) => cueOnRight == cueOnWrong ? 0.5 : cueOnRight ? 1 : 0;

    /// <summary>The expected score against a label that is right with chance <paramref name="labelRight"/> of a judge that picks the right answer with chance <paramref name="picksRight"/>.</summary>
    static double Expected(double labelRight, double picksRight) => labelRight * picksRight + (1 - labelRight) * (1 - picksRight);

    /// <summary>Knowing the annotators' chance of choosing the right answer, pick the likelier label.</summary>
    static double BayesPick(double labelRight) => labelRight > 0.5 ? 1 : labelRight < 0.5 ? 0 : 0.5;

    /// <summary>Expected score of the longer answer per section: each pair weighs its label by the labelling's probability.</summary>
    static Dictionary<string, double> SimulatedLongerAnswer(MiniWorldConfig config)
    {
        var simulated = MiniWorldSplits.Generate(config with
        {
            TrainPairs = 0, TestPairs = LongerAnswerSimulationPairs, ChatPairs = LongerAnswerSimulationPairs, ChatHardPairs = LongerAnswerSimulationPairs,
            SafetyPairs = LongerAnswerSimulationPairs, ReasoningPairs = LongerAnswerSimulationPairs,
        }, LongerAnswerSimulationSeed);
        return MiniWorldSplits.EvaluationSections.ToDictionary(name => name,
            name => simulated.Section(name).Average(p => Expected(p.ProbabilityCorrectChosen, LongerAnswer(p))));
    }

    /// <summary>The unweighted mean of the four out-of-distribution sections, as RewardBench's score is; its pairs are theirs together.</summary>
    static SectionCeilings RewardBenchMean(IReadOnlyList<SectionCeilings> sections)
    {
        var ood = sections.Where(s => MiniWorldSections.OutOfDistribution.Contains(s.Section)).ToList();
        double Mean(Func<SectionCeilings, double> f) => ood.Average(f);
        return new SectionCeilings(RewardBenchSections.Overall, ood.Sum(s => s.Pairs), Mean(s => s.StyleOracle), Mean(s => s.AntiStyle), Mean(s => s.LongerAnswer),
            Mean(s => s.CorrectnessOracle), Mean(s => s.BayesOptimal));
    }

    /// <summary>The chances of the four cue patterns of a pair: polish on the right answer only, the wrong one only, both, neither.</summary>
    sealed record CueMix(double RightOnly, double WrongOnly, double Both, double Neither)
    {
        public static CueMix Independent(double polishRight, double polishWrong) =>
            new(polishRight * (1 - polishWrong), (1 - polishRight) * polishWrong, polishRight * polishWrong, (1 - polishRight) * (1 - polishWrong));

        /// <summary><paramref name="share"/> of pairs drawn from <paramref name="a"/>, the rest from <paramref name="b"/>.</summary>
        public static CueMix Blend(double share, CueMix a, CueMix b) =>
            new(share * a.RightOnly + (1 - share) * b.RightOnly, share * a.WrongOnly + (1 - share) * b.WrongOnly,
                share * a.Both + (1 - share) * b.Both, share * a.Neither + (1 - share) * b.Neither);

        /// <summary>
        /// The expected score against labels that choose the right answer with chance
        /// <paramref name="label"/>(cue on right, cue on wrong), of a judge that picks the right
        /// answer with chance <paramref name="pick"/>(cue on right, cue on wrong, label's chance).
        /// </summary>
        public double Expected(Func<bool, bool, double> label, Func<bool, bool, double, double> pick) =>
            new[] { (RightOnly, true, false), (WrongOnly, false, true), (Both, true, true), (Neither, false, false) }.Sum(cell =>
            {
                var (weight, cueOnRight, cueOnWrong) = cell;
                double labelRight = label(cueOnRight, cueOnWrong);
                return weight * WorldCeilings.Expected(labelRight, pick(cueOnRight, cueOnWrong, labelRight));
            });
    }
}
