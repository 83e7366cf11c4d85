using GenRM.MiniWorld;

namespace GenRM.Tests.MiniWorld;

public sealed class LengthAndDescriptionTests
{
    [Fact]
    public void JudgeSequencesFitTheShortContextOfATinyModel()
    {
        var lengths = MiniWorldLengths.Measure(WorldFixtures.Default(), new PretrainingCorpus(MiniWorldConfig.Default, CorpusMix.Default), corpusSeed: 1, corpusDocuments: 5000);
        Assert.InRange(lengths.MaxJudgeChars, 200, 600);
        Assert.InRange(lengths.MaxJudgeTokens, 200, 600);
        Assert.InRange(lengths.MaxPairTokens, 50, 256);
        Assert.InRange(lengths.MaxCorpusTokens, 50, 512);
        Assert.InRange(lengths.MaxRationaleChars, 50, 200);
        Assert.Equal(Math.Max(lengths.MaxJudgeTokens, Math.Max(lengths.MaxPairTokens, lengths.MaxCorpusTokens)), lengths.LongestTokens);
    }

    [Fact]
    public void DescriptionNamesEverySectionAndItsMeasuredCeiling()
    {
        var world = MiniWorldSplits.Generate(MiniWorldConfig.Smoke, 1);
        var lengths = MiniWorldLengths.Measure(world, new PretrainingCorpus(world.Config, CorpusMix.Default), corpusSeed: 1, corpusDocuments: 100);
        string md = WorldDescription.Markdown(world, lengths);
        Assert.StartsWith("# MiniWorld (seed 1)", md, StringComparison.Ordinal);
        foreach (string section in MiniWorldSplits.EvaluationSections)
        {
            var stats = SectionStatistics.Of(section, world.Section(section));
            Assert.Contains($"| {section} | {stats.Count} |", md, StringComparison.Ordinal);
        }
        // The annotators' three choices: polish on the right answer alone, on the wrong one alone, tied.
        Assert.Contains("96.3 %", md, StringComparison.Ordinal);
        Assert.Contains("43.8 %", md, StringComparison.Ordinal);
        Assert.Contains("81.8 %", md, StringComparison.Ordinal);
        // Each section's ceilings, realized then closed form: "| in-distribution | 32 | 70.2 (70.2) | ...".
        foreach (var (realized, closed) in WorldCeilings.Realized(world).Zip(WorldCeilings.ClosedForm(world.Config)))
            Assert.Contains(FormattableString.Invariant($"| {realized.Section} | {realized.Pairs} | {100 * realized.StyleOracle:0.0} ({100 * closed.StyleOracle:0.0}) | "), md, StringComparison.Ordinal);
        Assert.Contains("| RewardBench | ", md, StringComparison.Ordinal);
        Assert.Contains(" (49.3) |", md, StringComparison.Ordinal);
        Assert.Contains($"{lengths.MaxJudgeChars} characters", md, StringComparison.Ordinal);
    }
}
