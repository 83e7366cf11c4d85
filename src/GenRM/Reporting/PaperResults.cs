using System.Collections.Immutable;
using GenRM.Evaluation;
using static GenRM.Reporting.StudyOrder;

namespace GenRM.Reporting;

/// <summary>
/// One number the paper reports for a method on a section, as an accuracy in [0, 1]; a range
/// when only an approximate value is known (Low &lt; High), none when the paper gives none.
/// </summary>
/// <param name="Method">Method id.</param>
/// <param name="Section">Section name (in-distribution is UltraFeedback's held-out split).</param>
/// <param name="Low">The number, or the low end of its range; null when not reported.</param>
/// <param name="High">The high end of the range (equal to Low for a single number).</param>
/// <param name="Note">Why the number is uncertain or missing, or null.</param>
public sealed record PaperNumber(string Method, string Section, double? Low, double? High, string? Note)
{
    /// <summary>True when the paper gives a number or a range.</summary>
    public bool IsReported => Low is not null;

    /// <summary>The number, or the middle of the range; null when not reported.</summary>
    public double? Value => Low is null ? null : (Low + High) / 2;
}

/// <summary>
/// The paper's reported accuracies (PAPER.md, "Reported results": second-hand, trained on
/// UltraFeedback), as data for the side-by-side table and chart.
/// </summary>
public static class PaperResults
{
    /// <summary>The paper, as the report cites it.</summary>
    public const string Citation = "Mahan et al., \"Generative Reward Models\", arXiv:2410.12832, 2024";

    /// <summary>Where the paper is.</summary>
    public const string Url = "https://arxiv.org/abs/2410.12832";

    const string SecondHandRange = "approximate: only \"about 73-74\" is known second-hand";
    const string NotReported = "not reported in the sources these numbers are drawn from";

    /// <summary>
    /// Every method's in-distribution and RewardBench entry (reported or not, with a note), plus
    /// the RewardBench sections the paper gives numbers for.
    /// </summary>
    public static ImmutableArray<PaperNumber> Numbers { get; } =
    [
        Number(ZeroShot, RewardBenchSections.InDistribution, 52.25),
        Number(ZeroShot, RewardBenchSections.Overall, 60.60),
        Number(ZeroShotCot, RewardBenchSections.InDistribution, 67.75, "self-consistency (majority vote)"),
        Number(ZeroShotCot, RewardBenchSections.Overall, 75.18, "77.8 is also quoted"),
        Range(BradleyTerry, RewardBenchSections.InDistribution, 73, 74, SecondHandRange),
        Missing(BradleyTerry, RewardBenchSections.Overall, "not given as one number"),
        Range(PairRm, RewardBenchSections.InDistribution, 73, 74, SecondHandRange),
        Number(PairRm, RewardBenchSections.Safety, 81.8),
        Missing(PairRm, RewardBenchSections.Overall, NotReported),
        Number(GenRm, RewardBenchSections.InDistribution, 74.0, "approximate (\"about 74.0\")"),
        Number(GenRm, RewardBenchSections.Overall, 78.9),
        Number(StarSft, RewardBenchSections.InDistribution, 67.4),
        Missing(StarSft, RewardBenchSections.Overall, NotReported),
        Missing(StarRationalizer, RewardBenchSections.InDistribution, NotReported),
        Missing(StarRationalizer, RewardBenchSections.Overall, NotReported),
        Number(StarDpo, RewardBenchSections.InDistribution, 73.9),
        Number(StarDpo, RewardBenchSections.Safety, 91.0),
        Number(StarDpo, RewardBenchSections.Overall, 81.9),
    ];

    /// <summary>STaR-DPO's in-distribution accuracy after iterations 1, 2 and 3 (element i is iteration i + 1; majority of 32 votes).</summary>
    public static ImmutableArray<double> StarDpoIterations { get; } = [0.7128, 0.7298, 0.7358];

    /// <summary>The paper's entry for a method and section, or null when there is none.</summary>
    public static PaperNumber? Find(string method, string section) =>
        Numbers.FirstOrDefault(n => n.Method == method && n.Section == section);

    static PaperNumber Number(string method, string section, double percent, string? note = null) => new(method, section, percent / 100, percent / 100, note);

    static PaperNumber Range(string method, string section, double lowPercent, double highPercent, string note) =>
        new(method, section, lowPercent / 100, highPercent / 100, note);

    static PaperNumber Missing(string method, string section, string note) => new(method, section, null, null, note);
}
