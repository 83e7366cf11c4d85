using GenRM.Bootstrapping;
using GenRM.Experiments;
using GenRM.Reporting;

namespace GenRM.Tests.Experiments;

/// <summary>Each method's trainer settings come from the spec as the study runs them; notebooks take the same ones.</summary>
public sealed class MethodSettingsTests
{
    [Fact]
    public void TheRationalizerTrainsAtItsOwnLearningRateAndTheOtherStarVariantsAtTheShared()
    {
        ExperimentSpec spec = Presets.Smoke;

        StarConfig rationalizer = MethodSettings.Star(spec, StudyOrder.StarRationalizer);
        StarConfig dpo = MethodSettings.Star(spec, StudyOrder.StarDpo);

        Assert.Equal(StarVariant.Rationalizer, rationalizer.Variant);
        Assert.Equal(spec.FineTune.RationalizerLearningRate, rationalizer.Sft.Training.Optimizer.LearningRate);
        Assert.Equal(StarVariant.Dpo, dpo.Variant);
        Assert.Equal(spec.FineTune.LearningRate, dpo.Dpo.Training.Optimizer.LearningRate);
        Assert.Equal(spec.Star.DpoBeta, dpo.Dpo.Beta);
        Assert.Equal(spec.Star.Iterations, dpo.Iterations);
        Assert.Equal(spec.Evaluation.Votes, dpo.Evaluation.Samples);
        Assert.Equal(spec.FineTune.BatchSize, MethodSettings.Training(spec).BatchSize);
        Assert.Equal(spec.FineTune.OptimizerSteps, MethodSettings.Training(spec).Steps);
        Assert.Equal(spec.FineTune.OptimizerSteps / spec.Star.Iterations, dpo.Dpo.Training.Steps);
        Assert.Equal(spec.FineTune.OptimizerSteps / spec.Star.Iterations, rationalizer.Sft.Training.Steps);
        Assert.Equal(spec.Star.DpoPairsPerItem, dpo.DpoPairsPerItem);
    }

    [Fact]
    public void OnlyTrainersThatSeeWholePairsGroupBatchesByLength()
    {
        ExperimentSpec spec = Presets.Smoke;

        // Verdicts and rationales are single sequences whose length can go with the label; pairs cannot.
        Assert.False(MethodSettings.Training(spec).GroupByLength);
        Assert.False(MethodSettings.Star(spec, StudyOrder.StarSft).Sft.Training.GroupByLength);
        Assert.True(MethodSettings.PairTraining(spec).GroupByLength);
        Assert.True(MethodSettings.Star(spec, StudyOrder.StarDpo).Dpo.Training.GroupByLength);
        Assert.Equal(MethodSettings.Training(spec) with { GroupByLength = true }, MethodSettings.PairTraining(spec));
    }

    [Fact]
    public void AMethodThatIsNotStarIsRefusedByName()
    {
        var e = Assert.Throws<ArgumentException>(() => MethodSettings.Star(Presets.Smoke, StudyOrder.GenRm));
        Assert.Contains("genrm", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSharedNotebookStudyLivesInTheRepositorysRunsFolderNamedByPresetSeedAndLibraryBuild()
    {
        string folder = SharedStudy.Folder(Presets.Smoke with { Seed = 5 });

        Assert.Equal(Path.Combine(TestPaths.RepositoryRoot, "runs", "notebooks", $"smoke-seed5-{SharedStudy.LibraryBuild}"), folder);
        Assert.Matches("^[0-9a-f]{8}$", SharedStudy.LibraryBuild);
        Assert.NotEqual(folder, SharedStudy.Folder(Presets.Smoke));
    }
}
