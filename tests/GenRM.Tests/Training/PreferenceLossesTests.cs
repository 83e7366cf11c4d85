using GenRM.Training;
using static TorchSharp.torch;

namespace GenRM.Tests.Training;

public sealed class PreferenceLossesTests
{
    static float Value(Tensor t) => t.item<float>();

    [Fact]
    public void BradleyTerryMatchesHandComputedValues()
    {
        using var scope = NewDisposeScope();
        // −log σ(1) = 0.3132617, −log σ(0) = 0.6931472, −log σ(−2) = 2.1269280
        Tensor chosen = tensor(new float[] { 1, 0, -1 });
        Tensor rejected = tensor(new float[] { 0, 0, 1 });
        Assert.Equal((0.3132617 + 0.6931472 + 2.1269280) / 3, Value(PreferenceLosses.BradleyTerry(chosen, rejected)), 1e-5);
        // A margin of 1 on the first pair turns its term into −log σ(0).
        Tensor margins = tensor(new float[] { 1, 0, 0 });
        Assert.Equal((0.6931472 + 0.6931472 + 2.1269280) / 3, Value(PreferenceLosses.BradleyTerry(chosen, rejected, margins)), 1e-5);
    }

    [Fact]
    public void DpoWithPolicyEqualToReferenceIsLogTwoWithHalfBetaGradients()
    {
        using var scope = NewDisposeScope();
        Tensor policyChosen = tensor(new float[] { -3f, -7f }, requires_grad: true);
        Tensor policyRejected = tensor(new float[] { -4f, -2f }, requires_grad: true);
        var logProbs = new PreferenceLogProbs(policyChosen, policyRejected, tensor(new float[] { -3f, -7f }), tensor(new float[] { -4f, -2f }));
        Tensor loss = PreferenceLosses.Dpo(logProbs, beta: 0.5);
        Assert.Equal(Math.Log(2), Value(loss), 1e-6);
        Assert.Equal(0f, Value(logProbs.LogRatioDifference().abs().sum()));
        loss.backward();
        // d/dπ_w of mean(−log σ(β Δ)) at Δ = 0 is −β σ(0) / n = −0.5 · 0.5 / 2.
        Assert.Equal([-0.125f, -0.125f], policyChosen.grad!.data<float>().ToArray());
        Assert.Equal([0.125f, 0.125f], policyRejected.grad!.data<float>().ToArray());
    }

    [Fact]
    public void DpoAndIpoMatchHandComputedValuesAwayFromTheReference()
    {
        using var scope = NewDisposeScope();
        // Δ = (−2 − −3) − (−5 − −4) = 2.
        var logProbs = new PreferenceLogProbs(tensor(new float[] { -2 }), tensor(new float[] { -5 }), tensor(new float[] { -3 }), tensor(new float[] { -4 }));
        // β = 0.5: −log σ(1) = 0.3132617.
        Assert.Equal(0.3132617, Value(PreferenceLosses.Dpo(logProbs, 0.5)), 1e-6);
        // IPO with β = 0.4: (2 − 1/0.8)² = 0.5625.
        Assert.Equal(0.5625, Value(PreferenceLosses.Ipo(logProbs, 0.4)), 1e-6);
    }

    [Fact]
    public void SftAveragesOnlyCompletionTokens()
    {
        using var scope = NewDisposeScope();
        // Token log-probs for positions 1..3 of two rows; completion masks cover positions 2-3 and 3.
        Tensor tokenLogProbs = tensor(new float[] { -9, -1, -3, -9, -9, -2 }, [2, 3]);
        Tensor completion = tensor(new long[] { 0, 0, 1, 1, 0, 0, 0, 1 }, [2, 4]);
        Assert.Equal((1 + 3 + 2) / 3.0, Value(PreferenceLosses.Sft(tokenLogProbs, completion)), 1e-6);
    }

    [Fact]
    public void CosineScheduleWarmsUpLinearlyThenDecaysToTheFloor()
    {
        var schedule = new CosineSchedule(new OptimizerConfig { LearningRate = 1.0, WarmupRatio = 0.1, MinLearningRateRatio = 0.1 }, totalSteps: 20);
        Assert.Equal(2, schedule.WarmupSteps);
        Assert.Equal(0.5, schedule.LearningRate(0), 1e-12);
        Assert.Equal(1.0, schedule.LearningRate(1), 1e-12);
        Assert.Equal(1.0, schedule.LearningRate(2), 1e-12);
        // Halfway through the 18 decay steps the cosine is at the midpoint of peak and floor.
        Assert.Equal(0.55, schedule.LearningRate(11), 1e-12);
        Assert.True(schedule.LearningRate(19) > 0.1 && schedule.LearningRate(19) < 0.11);
    }
}
