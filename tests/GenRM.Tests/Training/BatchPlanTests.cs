using GenRM.Training;

namespace GenRM.Tests.Training;

public sealed class BatchPlanTests
{
    static readonly TrainingConfig Config = new() { BatchSize = 16, Epochs = 2, Seed = 7, GroupByLength = true };

    static int[] RandomLengths(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => random.Next(5, 300))];
    }

    static double RealShare(IEnumerable<int[]> batches, int[] lengths)
    {
        long real = 0, padded = 0;
        foreach (int[] batch in batches)
        {
            real += batch.Sum(i => (long)lengths[i]);
            padded += (long)batch.Max(i => lengths[i]) * batch.Length;
        }
        return (double)real / padded;
    }

    [Fact]
    public void GroupedBatchesCoverEveryExampleOncePerEpochWithLittlePadding()
    {
        int[] lengths = RandomLengths(1000, seed: 1);
        var grouped = BatchPlan.MicroBatches(lengths.Length, Config, lengths);
        var plain = BatchPlan.MicroBatches(lengths.Length, Config, null);

        // Windows of 800 then 200 examples: 50 + 13 batches an epoch, the last one of 8 examples.
        Assert.Equal(2 * 63, grouped.Count);
        Assert.Equal([8, 8], grouped.Where(b => b.Length != Config.BatchSize).Select(b => b.Length));
        for (int epoch = 0; epoch < 2; epoch++)
            Assert.Equal(Enumerable.Range(0, lengths.Length), grouped.Skip(epoch * 63).Take(63).SelectMany(b => b).Order());

        double groupedShare = RealShare(grouped, lengths), plainShare = RealShare(plain, lengths);
        Assert.True(groupedShare > 0.95, $"grouped batches are {groupedShare:P1} real tokens");
        Assert.True(plainShare < 0.75, $"batches cut in shuffled order are {plainShare:P1} real tokens");
    }

    [Fact]
    public void GroupedBatchesAreSeenInShuffledNotLengthOrder()
    {
        int[] lengths = RandomLengths(1000, seed: 2);
        int[] longest = [.. BatchPlan.MicroBatches(lengths.Length, Config with { Epochs = 1 }, lengths).Select(b => b.Max(i => lengths[i]))];
        Assert.NotEqual(longest.OrderDescending(), longest);
        Assert.NotEqual(longest.Order(), longest);
    }

    [Fact]
    public void ThePlanRepeatsForASeedAndChangesWithTheSeedAndTheEpoch()
    {
        int[] lengths = RandomLengths(400, seed: 3);
        var first = BatchPlan.MicroBatches(lengths.Length, Config, lengths);
        Assert.Equal(first, BatchPlan.MicroBatches(lengths.Length, Config, lengths));
        Assert.NotEqual(first, BatchPlan.MicroBatches(lengths.Length, Config with { Seed = 8 }, lengths));
        int perEpoch = first.Count / 2;
        Assert.NotEqual(first.Take(perEpoch), first.Skip(perEpoch));
    }

    [Fact]
    public void WithoutGroupingTheShuffledOrderIsCutAsItIs()
    {
        int[] lengths = RandomLengths(100, seed: 4);
        var off = BatchPlan.MicroBatches(lengths.Length, Config with { GroupByLength = false }, lengths);
        Assert.Equal(BatchPlan.MicroBatches(lengths.Length, Config, null), off);
        // 100 = 6 × 16 + 4: the tail of 4 (under half a batch) joins the sixth batch.
        Assert.Equal([16, 16, 16, 16, 16, 20], off.Take(6).Select(b => b.Length));
    }

    [Theory]
    [InlineData(41, 8, new[] { 8, 8, 8, 8, 9 })]
    [InlineData(44, 8, new[] { 8, 8, 8, 8, 8, 4 })]
    [InlineData(3, 8, new[] { 3 })]
    public void AShortTailJoinsThePreviousBatchSoNoStepTrainsOnOneOrTwoExamples(int count, int batchSize, int[] sizes)
    {
        var config = new TrainingConfig { BatchSize = batchSize, Epochs = 2, Seed = 3 };
        var plan = BatchPlan.MicroBatches(count, config, null);
        Assert.Equal([.. sizes, .. sizes], plan.Select(b => b.Length));
        for (int epoch = 0; epoch < 2; epoch++)
            Assert.Equal(Enumerable.Range(0, count), plan.Skip(epoch * sizes.Length).Take(sizes.Length).SelectMany(b => b).Order());
        // Grouped by length, the tail joins its window's last batch before the epoch's batches are shuffled.
        int[] lengths = [.. Enumerable.Range(0, count).Select(i => 10 + i % 7)];
        var grouped = BatchPlan.MicroBatches(count, config with { GroupByLength = true }, lengths);
        Assert.Equal(sizes.Concat(sizes).OrderDescending(), grouped.Select(b => b.Length).OrderDescending());
    }

    [Fact]
    public void AStepBudgetRunsWholeEpochsInTurnAndStopsAtExactlyThatManyBatches()
    {
        var config = new TrainingConfig { BatchSize = 16, Steps = 25, Seed = 7 };
        var plan = BatchPlan.MicroBatches(100, config, null);
        var epochs = BatchPlan.MicroBatches(100, config with { Steps = 0, Epochs = 5 }, null);
        Assert.Equal(25, plan.Count);
        Assert.Equal(epochs.Take(25), plan);
        Assert.Equal(Enumerable.Range(0, 100), plan.Take(6).SelectMany(b => b).Order());
        Assert.Equal(plan, BatchPlan.MicroBatches(100, config, null));
    }
}
