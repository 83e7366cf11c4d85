using GenRM.Experiments;

namespace GenRM.Tests.Experiments;

/// <summary>The MiniWorld presets use what the committed sweep (data/sweeps/default, written by <c>genrm sweep</c>) chose, and nothing of their own.</summary>
public sealed class FrozenPresetTests
{
    static readonly string SweepFile = Path.Combine(TestPaths.RepositoryRoot, "data", "sweeps", "default", SweepResult.JsonFile);

    [Fact]
    public void MiniWorldPresetsUseTheCommittedSweepsLearningRateAndBeta()
    {
        var sweep = SweepResult.Load(SweepFile);
        Assert.Equal("default", sweep.Preset);
        Assert.Contains(sweep.Points, p => p.LearningRate == sweep.LearningRate && p.DpoBeta == sweep.DpoBeta);
        Assert.Equal(sweep.LearningRate, SweepResult.BestRate(sweep.Points, [.. sweep.Points.Select(p => p.LearningRate).Distinct()]));
        foreach (var spec in new[] { Presets.Smoke, Presets.Default })
        {
            Assert.Equal(sweep.LearningRate, spec.FineTune.LearningRate);
            Assert.Equal(4 * sweep.LearningRate, spec.FineTune.RationalizerLearningRate);
            Assert.Equal(sweep.DpoBeta, spec.Star.DpoBeta);
        }
    }
}
