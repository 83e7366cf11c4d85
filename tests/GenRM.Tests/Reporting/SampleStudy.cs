using GenRM.Evaluation;
using GenRM.Reporting;

namespace GenRM.Tests.Reporting;

/// <summary>A plausible, made-up study (every method, section, chart input) for report tests.</summary>
internal static class SampleStudy
{
    public static RunInfo Run { get; } = new("default", 1, "cpu", new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero), 412.5);

    /// <summary>A result row with a Wilson interval from the accuracy and n.</summary>
    public static ResultRow Row(string method, string section, double accuracy, int n = 400) =>
        new(method, section, accuracy, n, WilsonInterval.Compute(Math.Round(accuracy * n), n));

    /// <summary>A result row with a given interval.</summary>
    public static ResultRow Row(string method, string section, double accuracy, double low, double high) =>
        new(method, section, accuracy, 400, new ConfidenceInterval(low, high));

    /// <summary>
    /// n item records of a section with the first round(accuracy × n) right: methods built this way
    /// are nested (a more accurate one is right wherever a less accurate one is).
    /// </summary>
    public static IReadOnlyList<ItemRecord> Items(string section, double accuracy, int n, int seed = 1) =>
        [.. Enumerable.Range(0, n).Select(i => new ItemRecord(seed, $"{section}-{i}", section, i < Math.Round(accuracy * n) ? 1 : 0))];

    public static StudyReport Build()
    {
        (string Method, double[] Accuracies)[] table =
        [
            // in-distribution, Chat, Chat Hard, Safety, Reasoning
            (StudyOrder.ZeroShot, [0.55, 0.70, 0.45, 0.60, 0.58]),
            (StudyOrder.ZeroShotCot, [0.64, 0.78, 0.52, 0.66, 0.70]),
            (StudyOrder.BradleyTerry, [0.79, 0.80, 0.30, 0.62, 0.55]),
            (StudyOrder.PairRm, [0.78, 0.79, 0.35, 0.64, 0.57]),
            (StudyOrder.GenRm, [0.78, 0.83, 0.55, 0.70, 0.66]),
            (StudyOrder.StarSft, [0.72, 0.84, 0.60, 0.72, 0.74]),
            (StudyOrder.StarRationalizer, [0.74, 0.85, 0.62, 0.73, 0.76]),
            (StudyOrder.StarDpo, [0.79, 0.88, 0.68, 0.78, 0.80]),
        ];
        string[] sections = [RewardBenchSections.InDistribution, .. RewardBenchSections.Sections];
        List<ResultRow> rows = [];
        var items = new Dictionary<string, IReadOnlyList<ItemRecord>>();
        foreach (var (method, accuracies) in table)
        {
            items[method] = [.. sections.SelectMany((s, i) => Items(s, accuracies[i], s == RewardBenchSections.InDistribution ? 1000 : 300))];
            rows.AddRange(sections.Select((s, i) => Row(method, s, accuracies[i], s == RewardBenchSections.InDistribution ? 1000 : 300)));
            rows.Add(Row(method, RewardBenchSections.Overall, accuracies.Skip(1).Average(), 1200));
        }

        return new StudyReport(Run, rows)
        {
            Items = items,
            TrainingCurves = new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, double>>>
            {
                [StudyOrder.BradleyTerry] = Curve(0.69, 0.45, withAccuracy: true),
                [StudyOrder.GenRm] = Curve(1.2, 0.5, withAccuracy: false),
                [StudyOrder.StarDpo] = Curve(0.69, 0.35, withAccuracy: true),
            },
            StarIterations =
            [
                .. new[] { (StudyOrder.StarSft, 0.66), (StudyOrder.StarRationalizer, 0.68), (StudyOrder.StarDpo, 0.70) }.SelectMany(m =>
                    Enumerable.Range(1, 3).Select(i =>
                    {
                        double accuracy = m.Item2 + 0.03 * (i - 1);
                        return new StarIterationStats(m.Item1, i, accuracy, WilsonInterval.Compute(Math.Round(accuracy * 1000), 1000), 0.5 + 0.08 * i, 900 + 150 * i);
                    })),
            ],
            MajorityVotes =
            [
                new(StudyOrder.StarDpo, RewardBenchSections.InDistribution, 1, 0.75, WilsonInterval.Compute(750, 1000)),
                new(StudyOrder.StarDpo, RewardBenchSections.InDistribution, 8, 0.79, WilsonInterval.Compute(790, 1000)),
            ],
            PositionBias = new Dictionary<string, PositionBiasReport>
            {
                [StudyOrder.ZeroShot] = Bias(0.70, 0.40, 0.55),
                [StudyOrder.GenRm] = Bias(0.80, 0.76, 0.86),
                [StudyOrder.StarDpo] = Bias(0.81, 0.79, 0.90),
            },
            MethodNotes = new Dictionary<string, string> { [StudyOrder.StarDpo] = "three iterations, 8 samples per item" },
            WorldDescription = "# MiniWorld\n\nMulti-digit addition with simulated annotators.\n\n- Chat: new templates\n- Chat Hard: the length cue reversed",
            Notes = ["Sample report made from invented numbers."],
        };
    }

    static List<IReadOnlyDictionary<string, double>> Curve(double start, double end, bool withAccuracy) =>
    [
        .. Enumerable.Range(0, 60).Select(step =>
        {
            double t = step / 59.0;
            var row = new Dictionary<string, double> { ["step"] = step, ["loss"] = end + (start - end) * Math.Exp(-4 * t), ["learning_rate"] = 1e-3 };
            if (withAccuracy)
                row["rewards/accuracies"] = 0.5 + 0.4 * (1 - Math.Exp(-4 * t));
            return (IReadOnlyDictionary<string, double>)row;
        }),
    ];

    static PositionBiasReport Bias(double first, double second, double consistency)
    {
        const int n = 500;
        return new(Proportion.Of(first * n, n), Proportion.Of(second * n, n), Proportion.Of((first + second) / 2 * n, n), Proportion.Of(consistency * n, n));
    }
}
