using GenRM.MiniWorld;

namespace GenRM.Tests.MiniWorld;

/// <summary>What the committed base models (data/miniworld/&lt;preset&gt;, written by <c>genrm pretrain</c>) can do.</summary>
public sealed class PretrainedBaseModelTests
{
    // The smoke model (0.61 M, 2 M tokens) solves no sums yet, so the task check uses the default model;
    // both load through the checksum and give verdicts in the judge format.
    [Fact]
    public void CommittedDefaultModelAddsAboveChanceAndGivesParseableVerdicts()
    {
        using var loaded = MiniWorldBaseModel.Load(MiniWorldBaseModel.Folder(TestPaths.RepositoryRoot, MiniWorldModel.DefaultName));
        Assert.Equal(MiniWorldModel.Default.Model.HiddenSize, loaded.Model.Config.HiddenSize);
        var probe = new BaseModelProbe(loaded.Model, batchSize: 32);

        // An exact 2-digit sum by chance is under 1 % likely; seed 77 draws sums the probe in `genrm pretrain` did not ask.
        var sums = probe.Sums(minDigits: 2, maxDigits: 2, perDigits: 32, seed: 77).Single();
        Assert.True(sums.Accuracy >= 0.15, $"2-digit sums: {sums.Accuracy:P0} exact");

        var world = MiniWorldSplits.Generate(MiniWorldConfig.Smoke, seed: 1);
        var judge = probe.Judge(MiniWorldSections.InDistribution, world.SectionPairs(MiniWorldSections.InDistribution), JudgeMode.Direct);
        Assert.True(judge.ParseableRate > 0.5, $"{judge.ParseableRate:P0} of the direct verdicts parse");
    }

    [Fact]
    public void CommittedSmokeModelLoadsWithItsPresetShape()
    {
        using var loaded = MiniWorldBaseModel.Load(MiniWorldBaseModel.Folder(TestPaths.RepositoryRoot, MiniWorldModel.SmokeName));
        Assert.Equal(MiniWorldModel.Smoke.Model.HiddenSize, loaded.Model.Config.HiddenSize);
        Assert.Equal(MiniWorldModel.ContextLength, loaded.Model.Config.MaxPositionEmbeddings);
    }
}
