using GenRM.Data;
using GenRM.Evaluation;
using GenRM.MiniWorld;

namespace GenRM.Experiments;

/// <summary>
/// The pairs of one study: training pairs (every trained method sees the same ones), a held-out
/// slice of the training distribution for STaR's per-iteration scores, and the evaluation pairs
/// whose subsets name their sections (<c>in-distribution</c>, and the out-of-distribution ones).
/// </summary>
public sealed record StudyData(
    IReadOnlyList<PreferencePair> Train,
    IReadOnlyList<PreferencePair> HeldOut,
    IReadOnlyList<PreferencePair> Evaluation,
    string Description)
{
    public const string InDistribution = MiniWorldSections.InDistribution;

    /// <summary>Per section (and the RewardBench mean), what a style shortcut and a checker score on this world's pairs; empty for a study on files.</summary>
    public IReadOnlyList<SectionCeilings> Ceilings { get; init; } = [];

    /// <summary>The in-distribution test pairs.</summary>
    public IReadOnlyList<PreferencePair> InDistributionTest => [.. Evaluation.Where(p => p.Subset == InDistribution)];

    public static StudyData FromMiniWorld(MiniWorldConfig world, int seed, int heldOutItems)
    {
        var splits = MiniWorldSplits.Generate(world, seed);
        var (train, heldOut) = HoldOut(splits.TrainPairs, heldOutItems, seed);
        var lengths = MiniWorldLengths.Measure(splits, new PretrainingCorpus(world, CorpusMix.Default), corpusSeed: seed, corpusDocuments: 200);
        return new StudyData(train, heldOut, splits.EvaluationPairs, WorldDescription.Markdown(splits, lengths)) { Ceilings = WorldCeilings.Realized(splits) };
    }

    /// <summary>Real files: training pairs, an in-distribution test set, and out-of-distribution pairs carrying RewardBench subsets.</summary>
    public static StudyData FromFiles(FileStudy files, int seed, int heldOutItems)
    {
        var train = PreferenceReader.Read(files.Train!).Pairs;
        var test = PreferenceReader.Read(files.Test!).Pairs.Select(p => p with { Subset = InDistribution });
        var outOfDistribution = PreferenceReader.Read(files.OutOfDistribution!).Pairs;
        var (kept, heldOut) = HoldOut(train, heldOutItems, seed);
        string description = $"Training pairs from {files.Train} ({kept.Count} after holding out {heldOut.Count}); in-distribution test from {files.Test}; out of distribution: {files.OutOfDistribution}.";
        return new StudyData(kept, heldOut, [.. test, .. outOfDistribution], description);
    }

    /// <summary>Holds out about <paramref name="items"/> training pairs by a seeded hash of their ids (stable when the file grows).</summary>
    static (IReadOnlyList<PreferencePair> Train, IReadOnlyList<PreferencePair> HeldOut) HoldOut(IReadOnlyList<PreferencePair> pairs, int items, int seed)
    {
        if (items <= 0) return (pairs, []);
        double fraction = Math.Min(0.5, (double)items / pairs.Count);
        var (train, heldOut) = DataSplits.TrainTest(pairs, fraction, seed);
        return (train, heldOut);
    }
}
