using GenRM.MiniWorld;

namespace GenRM.Tests.MiniWorld;

/// <summary>What the committed base models (data/miniworld/&lt;preset&gt;, written by <c>genrm pretrain</c>) can do.</summary>
public sealed class PretrainedBaseModelTests
{
    [Fact]
    public void CommittedSmokeModelAddsAboveChanceAndGivesParseableVerdicts()
    {
        using var loaded = MiniWorldBaseModel.Load(MiniWorldBaseModel.Folder(TestPaths.RepositoryRoot, MiniWorldModel.SmokeName));
        Assert.Equal(MiniWorldModel.Smoke.Model.HiddenSize, loaded.Model.Config.HiddenSize);
        var probe = new BaseModelProbe(loaded.Model, batchSize: 32);

        // An exact 2-3 digit sum by chance is under 1 % likely; seed 77 draws sums the probe in `genrm pretrain` did not ask.
        foreach (var sums in probe.Sums(minDigits: 2, maxDigits: 3, perDigits: 32, seed: 77))
            Assert.True(sums.Accuracy >= 0.5, $"{sums.Digits}-digit sums: {sums.Accuracy:P0} exact");

        var world = MiniWorldSplits.Generate(MiniWorldConfig.Smoke, seed: 1);
        var judge = probe.Judge(MiniWorldSections.InDistribution, world.SectionPairs(MiniWorldSections.InDistribution), JudgeMode.Direct);
        Assert.True(judge.ParseableRate > 0.5, $"{judge.ParseableRate:P0} of the direct verdicts parse");
    }

    [Fact]
    public void CommittedDefaultModelLoadsWithItsPresetShape()
    {
        using var loaded = MiniWorldBaseModel.Load(MiniWorldBaseModel.Folder(TestPaths.RepositoryRoot, MiniWorldModel.DefaultName));
        Assert.Equal(MiniWorldModel.Default.Model.HiddenSize, loaded.Model.Config.HiddenSize);
        Assert.Equal(MiniWorldModel.ContextLength, loaded.Model.Config.MaxPositionEmbeddings);
    }
}
