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

        // Per cue condition: σ(3) when the cue is on the right answer, σ(1) when it is on the wrong one.
        var annotator = SimulatedAnnotator.From(world.Config);
        foreach (bool cueOnRight in new[] { true, false })
        {
            var group = labelled.Where(p => (p.CueOnChosen == p.ChosenIsCorrect) == cueOnRight).ToList();
            double p = annotator.ProbabilityPrefersCorrect(cueOnRight, !cueOnRight);
            double agreement = group.Average(x => x.ChosenIsCorrect ? 1.0 : 0.0);
            Assert.True(WorldFixtures.WithinBinomialBounds(agreement, group.Count, p), $"cue on right={cueOnRight}: {agreement:F3} vs {p:F3} (n={group.Count})");
        }
    }

    [Fact]
    public void AgreementCeilingIsBelowOneInDistributionAndOneWhereLabelsAreVerified()
    {
        var world = WorldFixtures.Default();
        var test = SectionStatistics.Of(MiniWorldSections.InDistribution, world.Section(MiniWorldSections.InDistribution));
        Assert.InRange(test.AgreementCeiling, 0.85, 0.97);
        Assert.InRange(test.ExpectedAgreementCeiling, 0.92, 0.94);
        foreach (string section in MiniWorldSections.OutOfDistribution)
            Assert.Equal(1.0, SectionStatistics.Of(section, world.Section(section)).AgreementCeiling);
    }
}
