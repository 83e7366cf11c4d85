using GenRM.MiniWorld;

namespace GenRM.Tests.MiniWorld;

public sealed class AnnotatorTests
{
    [Fact]
    public void AnnotatorProbabilityIsTheDocumentedLogistic()
    {
        var annotator = new SimulatedAnnotator(CorrectnessWeight: 2, StyleWeight: 1);
        Assert.Equal(1 / (1 + Math.Exp(-3)), annotator.ProbabilityPrefersCorrect(cueOnCorrect: true, cueOnWrong: false), 12);
        Assert.Equal(1 / (1 + Math.Exp(-1)), annotator.ProbabilityPrefersCorrect(cueOnCorrect: false, cueOnWrong: true), 12);
        Assert.Equal(1 / (1 + Math.Exp(-2)), annotator.ProbabilityPrefersCorrect(cueOnCorrect: true, cueOnWrong: true), 12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void AnnotatorAgreementWithGroundTruthMatchesTheConfiguredNoise(long seed)
    {
        var world = WorldFixtures.Default(seed);
        var labelled = world.Train.Concat(world.Section(MiniWorldSections.InDistribution)).ToList();
        double expected = labelled.Average(p => p.ProbabilityCorrectChosen);
        double observed = labelled.Average(p => p.ChosenIsCorrect ? 1.0 : 0.0);
        Assert.True(WorldFixtures.WithinBinomialBounds(observed, labelled.Count, expected), $"agreement {observed:F3} vs expected {expected:F3}");

        // Per cue pattern: σ(1.5 + 1.75) with polish on the right answer alone, σ(1.5 − 1.75) on the wrong one alone, σ(1.5) when tied.
        var annotator = SimulatedAnnotator.From(world.Config);
        foreach (var (cueOnRight, cueOnWrong) in new[] { (true, false), (false, true), (true, true), (false, false) })
        {
            var group = labelled.Where(p => p.CueOnRight == cueOnRight && p.CueOnWrong == cueOnWrong).ToList();
            double p = annotator.ProbabilityPrefersCorrect(cueOnRight, cueOnWrong);
            double agreement = group.Average(x => x.ChosenIsCorrect ? 1.0 : 0.0);
            Assert.True(WorldFixtures.WithinBinomialBounds(agreement, group.Count, p), $"cue on right={cueOnRight}, on wrong={cueOnWrong}: {agreement:F3} vs {p:F3} (n={group.Count})");
        }
    }

    [Fact]
    public void AgreementCeilingIsBelowOneInDistributionAndOneWhereLabelsAreVerified()
    {
        var world = WorldFixtures.Default();
        var test = SectionStatistics.Of(MiniWorldSections.InDistribution, world.Section(MiniWorldSections.InDistribution));
        Assert.True(WorldFixtures.WithinBinomialBounds(test.AgreementCeiling, test.Count, 0.833), $"agreement {test.AgreementCeiling:F3}");
        Assert.InRange(test.ExpectedAgreementCeiling, 0.81, 0.86);
        foreach (string section in MiniWorldSections.OutOfDistribution)
            Assert.Equal(1.0, SectionStatistics.Of(section, world.Section(section)).AgreementCeiling);
    }
}
