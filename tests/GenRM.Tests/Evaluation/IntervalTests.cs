using GenRM.Evaluation;

namespace GenRM.Tests.Evaluation;

public sealed class IntervalTests
{
    [Theory]
    // By hand with z = 1.96: centre = (p + z²/2n) / (1 + z²/n), half = z / (1 + z²/n) · √(p(1−p)/n + z²/4n²).
    [InlineData(8, 10, 0.4902, 0.9433)]
    [InlineData(0, 10, 0.0, 0.2775)]
    [InlineData(10, 10, 0.7225, 1.0)]
    [InlineData(50, 100, 0.4038, 0.5962)]
    [InlineData(2.5, 5, 0.1704, 0.8296)] // half points from unparsable verdicts
    public void WilsonMatchesHandComputedValues(double successes, int n, double low, double high)
    {
        ConfidenceInterval interval = WilsonInterval.Compute(successes, n);

        Assert.Equal(low, interval.Low, 4);
        Assert.Equal(high, interval.High, 4);
    }

    [Fact]
    public void WilsonWithNoItemsIsTheWholeRange() =>
        Assert.Equal(new ConfidenceInterval(0, 1), WilsonInterval.Compute(0, 0));
}
