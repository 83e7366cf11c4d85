using System.Collections.Immutable;
using GenRM.Evaluation;

namespace GenRM.Reporting;

/// <summary>The method ids of DESIGN.md and the order every table and chart lists methods and sections in.</summary>
public static class StudyOrder
{
    public const string ZeroShot = "zero-shot";
    public const string ZeroShotCot = "zero-shot-cot";
    public const string BradleyTerry = "bradley-terry";
    public const string PairRm = "pairrm";
    public const string GenRm = "genrm";
    public const string StarSft = "star-sft";
    public const string StarRationalizer = "star-rationalizer";
    public const string StarDpo = "star-dpo";

    /// <summary>Every method id, in DESIGN.md's order.</summary>
    public static ImmutableArray<string> Methods { get; } = [ZeroShot, ZeroShotCot, BradleyTerry, PairRm, GenRm, StarSft, StarRationalizer, StarDpo];

    /// <summary>Every section name, in DESIGN.md's order (RewardBench, the mean of the four, last).</summary>
    public static ImmutableArray<string> Sections => RewardBenchSections.ResultsOrder;

    /// <summary>Methods in DESIGN.md's order; unknown ids after them, in ordinal order; duplicates removed.</summary>
    public static IReadOnlyList<string> SortMethods(IEnumerable<string> methods) => Sort(methods, Methods);

    /// <summary>Sections in DESIGN.md's order; unknown names after them, in ordinal order; duplicates removed.</summary>
    public static IReadOnlyList<string> SortSections(IEnumerable<string> sections) => Sort(sections, Sections);

    /// <summary>A method's place in <see cref="Methods"/>; unknown ids share the last place.</summary>
    internal static int MethodRank(string method) => Rank(method, Methods);

    /// <summary>A section's place in <see cref="Sections"/>; unknown names share the last place.</summary>
    internal static int SectionRank(string section) => RewardBenchSections.Rank(section);

    static int Rank(string name, ImmutableArray<string> known) => known.IndexOf(name) is var i && i >= 0 ? i : known.Length;

    static List<string> Sort(IEnumerable<string> names, ImmutableArray<string> known)
    {
        ArgumentNullException.ThrowIfNull(names);
        return [.. names.Distinct(StringComparer.Ordinal).OrderBy(n => Rank(n, known)).ThenBy(n => n, StringComparer.Ordinal)];
    }
}
