namespace GenRM.Evaluation;

/// <summary>One row of results.json: a method's accuracy on a section, with its 95 % interval.</summary>
/// <param name="Method">Method id (zero-shot, bradley-terry, genrm, star-dpo, ...).</param>
/// <param name="Section">Section name (in-distribution, Chat, Chat Hard, Safety, Reasoning, RewardBench).</param>
/// <param name="Accuracy">Fraction in [0, 1].</param>
/// <param name="N">Items scored.</param>
/// <param name="Ci95">95 % interval of the accuracy.</param>
public sealed record ResultRow(string Method, string Section, double Accuracy, int N, ConfidenceInterval Ci95);

/// <summary>The run-level fields of results.json.</summary>
public sealed record RunInfo(string Preset, int Seed, string Device, DateTimeOffset Started, double Seconds);
