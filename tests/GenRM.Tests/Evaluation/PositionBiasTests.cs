using GenRM.Evaluation;
using GenRM.Text;

namespace GenRM.Tests.Evaluation;

public sealed class PositionBiasTests
{
    [Fact]
    public void AFirstPositionLovingJudgeShowsBiasAndInconsistency()
    {
        SwappedJudgement[] judgements =
        [
            new("a", PairScoring.Verdict(Verdict.A, chosenShownAsA: true), PairScoring.Verdict(Verdict.B, chosenShownAsA: false)), // right both times
            new("b", PairScoring.Verdict(Verdict.A, chosenShownAsA: true), PairScoring.Verdict(Verdict.A, chosenShownAsA: false)), // always A
            new("c", PairScoring.Verdict(Verdict.A, chosenShownAsA: true), PairScoring.Verdict(Verdict.A, chosenShownAsA: false)), // always A
            new("d", PairScoring.Verdict(Verdict.B, chosenShownAsA: true), PairScoring.Verdict(Verdict.A, chosenShownAsA: false)), // wrong both times
            new("e", PairScoring.Verdict(Verdict.None, chosenShownAsA: true), PairScoring.Verdict(Verdict.B, chosenShownAsA: false)), // unparsable once
        ];

        PositionBiasReport report = PositionBiasReport.Measure(judgements);

        Assert.Equal(3.5 / 5, report.ChosenFirst.Value, 12);
        Assert.Equal(2.0 / 5, report.ChosenSecond.Value, 12);
        Assert.Equal(5.5 / 10, report.BothOrders.Value, 12);
        Assert.Equal(2.0 / 5, report.Consistency.Value, 12); // a (both right) and d (both wrong)
        Assert.Equal(0.3, report.FirstPositionAdvantage, 12);
        Assert.Equal(WilsonInterval.Compute(2, 5), report.Consistency.Ci95);
    }
}
