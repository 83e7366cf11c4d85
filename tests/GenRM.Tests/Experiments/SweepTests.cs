using GenRM.Experiments;
using GenRM.Reporting;
using GenRM.Tests.Cli;

namespace GenRM.Tests.Experiments;

public sealed class SweepTests : IDisposable
{
    readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    static SweepPoint At(string method, double rate, double accuracy, double beta = 1.0) => new(method, rate, beta, accuracy, 100, 1);

    [Fact]
    public void TheRateWithTheBestMeanOverMethodsWinsTheSmallerOnATie()
    {
        SweepPoint[] points =
        [
            At(StudyOrder.BradleyTerry, 1e-4, 0.80), At(StudyOrder.StarDpo, 1e-4, 0.60),
            At(StudyOrder.BradleyTerry, 2e-4, 0.70), At(StudyOrder.StarDpo, 2e-4, 0.72),
            At(StudyOrder.BradleyTerry, 4e-4, 0.90), At(StudyOrder.StarDpo, 4e-4, 0.50),
        ];
        // Means 0.70, 0.71, 0.70: one method's best rate (BT's 4e-4) does not decide for all.
        Assert.Equal(2e-4, SweepResult.BestRate(points, [4e-4, 1e-4, 2e-4]));
        Assert.Equal(1e-4, SweepResult.BestRate([At(StudyOrder.GenRm, 2e-4, 0.6), At(StudyOrder.GenRm, 1e-4, 0.6)], [2e-4, 1e-4]));
    }

    [Fact]
    public void BetaIsChosenAtTheChosenRateOnlyAndTheRateIgnoresLaterBetas()
    {
        SweepPoint[] points =
        [
            At(StudyOrder.StarDpo, 1e-4, 0.60), At(StudyOrder.StarDpo, 2e-4, 0.65),
            At(StudyOrder.StarDpo, 2e-4, 0.70, beta: 0.1), At(StudyOrder.StarDpo, 1e-4, 0.99, beta: 0.3),
        ];
        Assert.Equal(2e-4, SweepResult.BestRate(points.Take(2).ToArray(), [1e-4, 2e-4]));
        Assert.Equal(0.1, SweepResult.BestBeta(points, 2e-4, [1.0, 0.1, 0.3]));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void SmokeSweepWritesItsTableAndResumesWithoutRunningAgain()
    {
        string folder = dir.File("sweep");
        var (code, output, error) = CliContractTests.Run("sweep", "--preset", "smoke", "--learning-rates", "2e-4", "--betas", "1,0.1", "--out", folder);
        Assert.True(code == 0, error);
        Assert.Contains("| star-dpo |", output, StringComparison.Ordinal);
        var first = SweepResult.Load(Path.Combine(folder, SweepResult.JsonFile));
        Assert.Equal(HyperparameterSweep.TrainedMethods.Count + 1, first.Points.Count);
        // The held-out slice (about the preset's 8 items, held out by a hash of their ids) is what every point is judged on.
        Assert.InRange(first.HeldOutItems, 4, 12);
        Assert.All(first.Points, p => Assert.Equal(first.HeldOutItems, p.Items));
        Assert.Contains(first.Points, p => p.Method == StudyOrder.StarDpo && p.DpoBeta == 0.1);
        Assert.False(Directory.Exists(Path.Combine(folder, "points", "bradley-terry-lr0.0002-beta1", "train")));

        var again = CliContractTests.Run("sweep", "--preset", "smoke", "--learning-rates", "2e-4", "--betas", "1,0.1", "--out", folder);
        Assert.Equal(0, again.Code);
        Assert.DoesNotContain("starting", again.Output, StringComparison.Ordinal);
        Assert.Contains("sweep: star-dpo at learning rate 0.0002, β 0.1", again.Output, StringComparison.Ordinal);
        Assert.Equal(first.Points, SweepResult.Load(Path.Combine(folder, SweepResult.JsonFile)).Points);
    }

    [Theory]
    [InlineData("--learning-rates", "2e-4,x", "'x' is not a number")]
    [InlineData("--learning-rates", "2e-4,2e-4", "listed twice")]
    [InlineData("--betas", "0", "each positive")]
    public void BadGridsAreRefused(string option, string value, string message)
    {
        var (code, _, error) = CliContractTests.Run("sweep", "--preset", "smoke", option, value, "--out", dir.File("bad"));
        Assert.Equal(1, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("bad")));
    }
}
