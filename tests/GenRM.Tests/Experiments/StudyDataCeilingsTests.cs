using GenRM.Evaluation;
using GenRM.Experiments;
using GenRM.MiniWorld;

namespace GenRM.Tests.Experiments;

public sealed class StudyDataCeilingsTests
{
    [Fact]
    public void AMiniWorldStudyCarriesItsWorldsRealizedCeilingsAndDescribesThem()
    {
        var data = StudyData.FromMiniWorld(MiniWorldConfig.Smoke, seed: 2, heldOutItems: 8);
        var world = MiniWorldSplits.Generate(MiniWorldConfig.Smoke, 2);
        Assert.Equal(WorldCeilings.Realized(world), data.Ceilings);
        Assert.Equal([.. MiniWorldSplits.EvaluationSections, RewardBenchSections.Overall], data.Ceilings.Select(c => c.Section));
        Assert.Equal(world.Section(MiniWorldSections.InDistribution).Length, data.Ceilings[0].Pairs);
        Assert.Contains("**Ceilings**", data.Description, StringComparison.Ordinal);
    }
}
