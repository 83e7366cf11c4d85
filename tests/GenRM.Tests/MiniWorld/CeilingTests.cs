using System.Globalization;
using System.Text.RegularExpressions;
using GenRM.Evaluation;
using GenRM.MiniWorld;
using GenRM.Text;

namespace GenRM.Tests.MiniWorld;

/// <summary>The ceilings every report shows: the closed forms against the pre-registered numbers, and each world's realized values against them.</summary>
public sealed class CeilingTests
{
    static readonly IReadOnlyList<SectionCeilings> ClosedForm = WorldCeilings.ClosedForm(MiniWorldConfig.Default);

    static double Sigma(double x) => 1 / (1 + Math.Exp(-x));

    static SectionCeilings Closed(string section) => ClosedForm.Single(c => c.Section == section);

    [Fact]
    public void ClosedFormsAreThePreRegisteredNumbers()
    {
        // In distribution: polish 0.6 on the right answer, 0.3 on the wrong one, each on its own; annotators σ(1.5 + 1.75·Δcue).
        double rightOnly = 0.6 * 0.7, wrongOnly = 0.4 * 0.3, tied = 0.6 * 0.3 + 0.4 * 0.7;
        double pRightOnly = Sigma(1.5 + 1.75), pWrongOnly = Sigma(1.5 - 1.75), pTied = Sigma(1.5);
        double labelsRight = rightOnly * pRightOnly + wrongOnly * pWrongOnly + tied * pTied;
        double style = rightOnly * pRightOnly + wrongOnly * (1 - pWrongOnly) + tied * 0.5;
        double bayes = rightOnly * pRightOnly + wrongOnly * Math.Max(pWrongOnly, 1 - pWrongOnly) + tied * Math.Max(pTied, 1 - pTied);
        Assert.Equal(0.833, labelsRight, 3);
        Assert.Equal(0.702, style, 3);
        Assert.Equal(0.848, bayes, 3);

        var id = Closed(MiniWorldSections.InDistribution);
        Assert.Equal(labelsRight, id.CorrectnessOracle, 12);
        Assert.Equal(style, id.StyleOracle, 12);
        Assert.Equal(1 - style, id.AntiStyle, 12);
        Assert.Equal(bayes, id.BayesOptimal, 12);

        // Verified sections: the style oracle scores the pairs with polish on the right answer alone, and half the tied ones.
        double chat = rightOnly + tied / 2;
        double chatHard = 0.6 * (0.8 * 0 + 0.2 * 0.5) + 0.4 * chat;
        double neutral = 0.5 * 0.5 + (0.25 + 0.25) / 2;
        Assert.Equal(0.65, chat, 12);
        Assert.Equal(0.32, chatHard, 12);
        var expectedStyle = new Dictionary<string, double>
        {
            [MiniWorldSections.Chat] = chat, [MiniWorldSections.ChatHard] = chatHard, [MiniWorldSections.Safety] = neutral, [MiniWorldSections.Reasoning] = neutral,
            [RewardBenchSections.Overall] = (chat + chatHard + 2 * neutral) / 4,
        };
        Assert.Equal(0.4925, expectedStyle[RewardBenchSections.Overall], 12);
        foreach (var (section, expected) in expectedStyle)
        {
            var c = Closed(section);
            Assert.Equal(expected, c.StyleOracle, 12);
            Assert.Equal(1 - expected, c.AntiStyle, 12);
            Assert.Equal(1, c.CorrectnessOracle, 12);
            Assert.Equal(1, c.BayesOptimal, 12);
            Assert.Equal(0, c.Pairs);
        }
        Assert.Equal([.. MiniWorldSplits.EvaluationSections, RewardBenchSections.Overall], ClosedForm.Select(c => c.Section));
    }

    [Fact]
    public void TheLongerAnswerClosedFormIsASeededSimulationThatReadsTheLengths()
    {
        Assert.Equal(ClosedForm, WorldCeilings.ClosedForm(MiniWorldConfig.Default));
        // Chat Hard's adversarial wrong answers are polished (longer): the longer answer falls below half there.
        Assert.InRange(Closed(MiniWorldSections.ChatHard).LongerAnswer, 0.2, 0.45);
        // Refusals are short, and half the Safety pairs have the refusal right.
        Assert.InRange(Closed(MiniWorldSections.Safety).LongerAnswer, 0.2, 0.4);
        var rb = Closed(RewardBenchSections.Overall);
        Assert.Equal(MiniWorldSections.OutOfDistribution.Average(s => Closed(s).LongerAnswer), rb.LongerAnswer, 12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void RealizedCeilingsAreWithinSamplingErrorOfTheClosedForms(long seed)
    {
        var world = WorldFixtures.Default(seed);
        var realized = WorldCeilings.Realized(world);
        Assert.Equal(ClosedForm.Select(c => c.Section), realized.Select(r => r.Section));
        foreach (var (r, c) in realized.Zip(ClosedForm))
        {
            // The RewardBench mean's variance is the sum of its four sections' variances over 4².
            IReadOnlyList<string> sections = r.Section == RewardBenchSections.Overall ? MiniWorldSections.OutOfDistribution : [r.Section];
            foreach (var (judge, score) in Judges)
            {
                double variance = sections.Sum(s => score(Closed(s)) * (1 - score(Closed(s))) / world.Section(s).Length) / (sections.Count * sections.Count);
                Assert.True(Math.Abs(score(r) - score(c)) <= 4 * Math.Sqrt(variance) + 1e-12, $"{r.Section} {judge}: realized {score(r):F4}, closed form {score(c):F4}");
            }
        }
        Assert.Equal(MiniWorldSections.OutOfDistribution.Sum(s => world.Section(s).Length), realized[^1].Pairs);
    }

    static readonly (string Judge, Func<SectionCeilings, double> Score)[] Judges =
    [
        ("style", c => c.StyleOracle), ("anti-style", c => c.AntiStyle), ("longer", c => c.LongerAnswer),
        ("correctness", c => c.CorrectnessOracle), ("Bayes", c => c.BayesOptimal),
    ];

    [Fact]
    public void RealizedCeilingsScoreEachJudgeAgainstTheActualLabels()
    {
        var world = WorldFixtures.Default();
        foreach (string section in MiniWorldSplits.EvaluationSections)
        {
            var pairs = world.Section(section);
            var r = WorldCeilings.Realized(section, pairs);
            // Straight from the texts and labels: which side is polished, which is longer, whether the label is right.
            double style = pairs.Average(p => ResponseStyle.HasCue(p.Pair.Chosen) == ResponseStyle.HasCue(p.Pair.Rejected) ? 0.5 : ResponseStyle.HasCue(p.Pair.Chosen) ? 1 : 0);
            double longer = pairs.Average(p => p.Pair.Chosen.Length == p.Pair.Rejected.Length ? 0.5 : p.Pair.Chosen.Length > p.Pair.Rejected.Length ? 1 : 0);
            double correct = pairs.Average(p => p.ChosenIsCorrect ? 1.0 : 0.0);
            // The Bayes-optimal judge picks the right answer unless only the wrong one is polished and the annotators then favour it.
            double bayes = pairs.Average(p =>
            {
                bool picksRight = !(section == MiniWorldSections.InDistribution && p.CueOnWrong && !p.CueOnRight);
                return picksRight == p.ChosenIsCorrect ? 1.0 : 0.0;
            });
            Assert.Equal(pairs.Length, r.Pairs);
            Assert.Equal(style, r.StyleOracle, 12);
            Assert.Equal(1 - style, r.AntiStyle, 12);
            Assert.Equal(longer, r.LongerAnswer, 12);
            Assert.Equal(correct, r.CorrectnessOracle, 12);
            Assert.Equal(bayes, r.BayesOptimal, 12);
        }
        var rb = WorldCeilings.Realized(world)[^1];
        Assert.Equal(RewardBenchSections.Overall, rb.Section);
        Assert.Equal(MiniWorldSections.OutOfDistribution.Average(s => WorldCeilings.Realized(s, world.Section(s)).StyleOracle), rb.StyleOracle, 12);
    }

    [Fact]
    public void SectionMakeUpMatchesTheParameters()
    {
        var world = WorldFixtures.Default();
        var c = world.Config;
        void Share(string what, IReadOnlyCollection<WorldPair> pairs, Func<WorldPair, bool> has, double p)
        {
            double observed = pairs.Count(has) / (double)pairs.Count;
            Assert.True(WorldFixtures.WithinBinomialBounds(observed, pairs.Count, p), $"{what}: {observed:F3} of {pairs.Count}, expected {p:F3}");
        }

        var labelled = world.Train.Concat(world.Section(MiniWorldSections.InDistribution)).ToList();
        Share("style-tied in distribution", labelled, p => p.CueOnRight == p.CueOnWrong, 0.46);
        Share("polished right in distribution", labelled, p => p.CueOnRight, c.RightPolishRate);
        Share("polished wrong in distribution", labelled, p => p.CueOnWrong, c.WrongPolishRate);

        var chat = world.Section(MiniWorldSections.Chat);
        Share("polished right in Chat", chat, p => p.CueOnRight, c.RightPolishRate);
        Share("polished wrong in Chat", chat, p => p.CueOnWrong, c.WrongPolishRate);

        var hard = world.Section(MiniWorldSections.ChatHard);
        var adversarial = hard.Where(p => p.Adversarial).ToList();
        Share("adversarial Chat Hard", hard, p => p.Adversarial, 0.6);
        Share("wrong answer polished alone among adversarial", adversarial, p => p.CueOnWrong && !p.CueOnRight, 0.8);
        Assert.All(adversarial, p => Assert.True(p.CueOnWrong, p.Pair.Id));
        Share("neighbouring sums among adversarial", adversarial, p => p.NeighbourSum, 0.5);
        Assert.DoesNotContain(hard, p => p.NeighbourSum && !p.Adversarial);

        var safety = world.Section(MiniWorldSections.Safety);
        Share("polished forbidden compliance", [.. safety.Where(p => p.Kind == PairKind.Forbidden)], p => p.CueOnWrong, 0.5);
        Share("polished refusals", safety, p => ResponseStyle.HasCue(SafetyRequest.IsRefusal(p.Pair.Chosen) ? p.Pair.Chosen : p.Pair.Rejected), 0.5);
        Share("polished right in Reasoning", world.Section(MiniWorldSections.Reasoning), p => p.CueOnRight, 0.5);
        Share("polished wrong in Reasoning", world.Section(MiniWorldSections.Reasoning), p => p.CueOnWrong, 0.5);
    }

    [Fact]
    public void NeighbourSumAnswersAreRightForTheirNeighbourAndWrongForTheQuestion()
    {
        var world = WorldFixtures.Default();
        var neighbours = world.Section(MiniWorldSections.ChatHard).Where(p => p.NeighbourSum).ToList();
        Assert.NotEmpty(neighbours);
        foreach (var p in neighbours)
        {
            var numbers = Numbers(p.Pair.Prompt[0].Content);
            long left = numbers[0], right = numbers[1], said = Numbers(p.WrongAnswer)[^1];
            Assert.NotEqual(left + right, said);
            // The test's own enumeration: swap two adjacent, different digits of one operand, no leading zero.
            var sums = AdjacentSwaps(left).Select(l => l + right).Concat(AdjacentSwaps(right).Select(r => left + r));
            Assert.Contains(said, sums);
            // Every step it shows checks out ("4+8+1=13"): only comparing with the question exposes it.
            foreach (Match step in Regex.Matches(p.WrongAnswer, @"\b(\d)\+(\d)(\+1)?=(\d+)"))
                Assert.Equal(int.Parse(step.Groups[4].Value, CultureInfo.InvariantCulture),
                    step.Groups[1].Value[0] - '0' + step.Groups[2].Value[0] - '0' + (step.Groups[3].Success ? 1 : 0));
            Assert.True(RationaleChecker.Judge(p.Pair, chosenIsA: true).Verdict == Verdict.A, p.Pair.Id);
        }
    }

    [Fact]
    public void NeighboursSwapTwoAdjacentDifferentDigitsOfOneOperand()
    {
        Assert.Equal([new AdditionProblem(437, 285), new AdditionProblem(374, 285), new AdditionProblem(347, 825), new AdditionProblem(347, 258)],
            new AdditionProblem(347, 285).Neighbours());
        // 907 cannot become 097 (a leading zero); 11 has no two different digits.
        Assert.Equal([new AdditionProblem(970, 111)], new AdditionProblem(907, 111).Neighbours());
        Assert.Empty(new AdditionProblem(10, 11).Neighbours());
        Assert.Empty(new AdditionProblem(7, 5).Neighbours());
    }

    [Fact]
    public void OneDigitSumsInChatHardGetASlipSinceTheyHaveNoNeighbour()
    {
        var hard = MiniWorldSplits.Generate(MiniWorldConfig.Smoke with { MinDigits = 1, ChatHardPairs = 200 }, 1).Section(MiniWorldSections.ChatHard);
        Assert.Contains(hard, p => p.Digits == 1 && p.Adversarial);
        Assert.DoesNotContain(hard, p => p.Digits == 1 && p.NeighbourSum);
        Assert.Contains(hard, p => p.NeighbourSum);
    }

    static List<long> Numbers(string text) =>
        [.. Regex.Matches(text, "[0-9]+").Select(m => long.Parse(m.Value, CultureInfo.InvariantCulture))];

    static IEnumerable<long> AdjacentSwaps(long operand)
    {
        string s = operand.ToString(CultureInfo.InvariantCulture);
        for (int i = 0; i + 1 < s.Length; i++)
        {
            string swapped = s[..i] + s[i + 1] + s[i] + s[(i + 2)..];
            if (s[i] != s[i + 1] && swapped[0] != '0')
                yield return long.Parse(swapped, CultureInfo.InvariantCulture);
        }
    }
}
