using GenRM.Data;

namespace GenRM.Tests.Data;

public sealed class SplitAndFrameTests
{
    static PreferencePair[] Pairs(int count) =>
        [.. Enumerable.Range(0, count).Select(i => PreferencePair.FromUserPrompt($"id-{i}", $"q{i}", new string('c', i % 7 + 1), "r", i % 2 == 0 ? "even" : "odd"))];

    [Fact]
    public void TrainTestSplitIsSeededAndStableWhenTheFileGrows()
    {
        PreferencePair[] small = Pairs(1000);
        PreferencePair[] grown = Pairs(1500);

        var (train, test) = DataSplits.TrainTest(small, 0.2, seed: 1);
        var (_, testAgain) = DataSplits.TrainTest(small, 0.2, seed: 1);
        var (_, otherSeed) = DataSplits.TrainTest(small, 0.2, seed: 2);
        var (_, grownTest) = DataSplits.TrainTest(grown, 0.2, seed: 1);

        Assert.Equal(1000, train.Length + test.Length);
        Assert.Empty(train.Intersect(test));
        Assert.InRange(test.Length, 160, 240);
        Assert.Equal<PreferencePair>(test, testAgain);
        Assert.NotEqual(test.Select(p => p.Id), otherSeed.Select(p => p.Id));
        Assert.Equal(test.Select(p => p.Id), grownTest.Where(p => small.Contains(p)).Select(p => p.Id));
        int[] positions = [.. test.Select(p => Array.IndexOf(small, p))];
        Assert.Equal(positions.Order(), positions); // file order kept
    }

    [Fact]
    public void StarPartsCoverEveryPairOnceInEqualParts()
    {
        PreferencePair[] pairs = Pairs(3001);

        var thirds = DataSplits.EqualParts(pairs, 3, seed: 4);

        Assert.Equal(3, thirds.Length);
        Assert.Equal([1000, 1000, 1001], thirds.Select(t => t.Length));
        Assert.Equal(pairs.Select(p => p.Id).Order(StringComparer.Ordinal), thirds.SelectMany(t => t).Select(p => p.Id).Order(StringComparer.Ordinal));
        Assert.Equal(thirds.SelectMany(t => t).Select(p => p.Id), DataSplits.EqualParts(pairs, 3, seed: 4).SelectMany(t => t).Select(p => p.Id));
        Assert.NotEqual(thirds[0].Select(p => p.Id), DataSplits.EqualParts(pairs, 3, seed: 5)[0].Select(p => p.Id));
    }

    [Fact]
    public void SplitHashIsPinned() =>
        Assert.Equal(0.4603163546353115, StableHash.Unit("split", 42, "abc")); // computed with Python's hashlib

    [Fact]
    public void FramesShowLengthsSubsetsAndLabelBalance()
    {
        PreferencePair[] pairs = [.. Pairs(4).Select((p, i) => p with { ChosenWasFirst = i < 3 })];

        var frame = PreferenceFrames.Pairs(pairs);
        var subsets = PreferenceFrames.Subsets(pairs);

        Assert.Equal(4, frame.Rows.Count);
        Assert.Equal([1, 2, 3, 4], frame["chosen_chars"].Cast<int>());
        Assert.Equal([false, true, true, true], frame["chosen_longer"].Cast<bool>());
        Assert.Equal(["even", "odd"], subsets["subset"].Cast<string>());
        Assert.Equal([2, 2], subsets["pairs"].Cast<int>());
        Assert.Equal([1.0, 0.5], subsets["chosen_first_fraction"].Cast<double>());
        Assert.Equal([2.0, 3.0], subsets["mean_chosen_chars"].Cast<double>());
    }
}
