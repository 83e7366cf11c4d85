using GenRM.Modeling;
using GenRM.Tests.Modeling;
using GenRM.Training;
using static TorchSharp.torch;

namespace GenRM.Tests.MiniWorld;

public sealed class PretrainingEmaTests
{
    [Fact]
    public void AverageFollowsTheWarmedUpDecayFormula()
    {
        using var model = new LanguageModel(TinyModels.Config());
        SetAll(model, 0);
        using var average = new ExponentialMovingAverage(model, decay: 0.5);

        // Update 1: d = min(0.5, 1/10) = 0.1, so 0.1·0 + 0.9·1 = 0.9.
        SetAll(model, 1);
        average.Update();
        Assert.Equal(0.9, Value(average.Average), 5);

        // Update 2: d = min(0.5, 2/11) = 2/11; update 3 onwards: d = min(0.5, 3/12) ... (4/13) ... until 0.5.
        SetAll(model, 3);
        average.Update();
        Assert.Equal(2.0 / 11 * 0.9 + 9.0 / 11 * 3, Value(average.Average), 5);
        Assert.Equal(2, average.Updates);
        Assert.Equal(0.25, average.CurrentDecay, 12);
        Assert.Equal(3, Value(model), 5);
    }

    [Fact]
    public void DetachedAverageOutlivesTheTracker()
    {
        using var model = new LanguageModel(TinyModels.Config());
        LanguageModel detached;
        using (var average = new ExponentialMovingAverage(model, decay: 0.9))
        {
            average.Update();
            detached = average.Detach();
        }
        using (detached)
            Assert.Equal(model.ParameterCount, detached.ParameterCount);
    }

    static void SetAll(LanguageModel model, double value)
    {
        using var noGrad = no_grad();
        foreach (var p in model.parameters())
            p.fill_(value);
    }

    static double Value(LanguageModel model)
    {
        using var scope = NewDisposeScope();
        return model.parameters().First().mean().item<float>();
    }
}
